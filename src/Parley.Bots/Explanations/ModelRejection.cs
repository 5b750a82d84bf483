namespace Parley.Bots.Explanations;

/// <summary>
/// The bot's trained intent model ruled out of scope a message its similarity gates let in: the model's most probable
/// intent, its probability and the calibrated threshold it had to reach.
/// </summary>
/// <param name="Intent">The model's most probable intent.</param>
/// <param name="Probability">Its probability.</param>
/// <param name="Threshold">
/// The model's out-of-scope threshold for that intent, when known; a probability at or above it was ruled out by the
/// model's out-of-scope class or its own similarity gate instead.
/// </param>
public sealed record ModelRejection(string Intent, double Probability, double? Threshold);
