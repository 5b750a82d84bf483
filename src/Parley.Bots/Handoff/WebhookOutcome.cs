namespace Parley.Bots.Handoff;

/// <summary>How posting a transcript to the handoff webhook ended.</summary>
/// <param name="Delivered">Whether the webhook accepted it (a 2xx answer).</param>
/// <param name="Attempts">How many requests were made.</param>
/// <param name="StatusCode">The last HTTP status, or null when no answer came.</param>
/// <param name="Error">Why it was not delivered, or null.</param>
public sealed record WebhookOutcome(bool Delivered, int Attempts, int? StatusCode, string? Error);
