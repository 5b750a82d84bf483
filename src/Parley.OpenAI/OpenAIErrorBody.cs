using System.ClientModel;
using System.Text.Json;

namespace Parley.OpenAI;

/// <summary>
/// The fields of an OpenAI-shaped error body (<c>{"error": {"message", "type", "param", "code"}}</c>) that an
/// endpoint answered with; any of them may be missing.
/// </summary>
/// <param name="Message">What the endpoint said went wrong.</param>
/// <param name="Type">Its error type, e.g. <c>invalid_request_error</c>.</param>
/// <param name="Param">The request field it blamed, e.g. <c>messages</c>.</param>
/// <param name="Code">Its machine-readable code, e.g. <c>context_length_exceeded</c>.</param>
public sealed record OpenAIErrorBody(string? Message, string? Type, string? Param, string? Code)
{
    /// <summary>Reads <paramref name="body"/>; null when it is empty, not JSON, or not an OpenAI error.</summary>
    public static OpenAIErrorBody? Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new OpenAIErrorBody(String(error, "message"), String(error, "type"), String(error, "param"), String(error, "code"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The error body a failed call carries, read as an OpenAI error; null when it has none or it is not one (<see cref="TextOf"/>).</summary>
    public static OpenAIErrorBody? Of(Exception exception) =>
        TextOf(exception) is { Length: > 0 } text ? Read(System.Text.Encoding.UTF8.GetBytes(text)) : null;

    /// <summary>
    /// The response body a failed call carries, as text: an <see cref="UpstreamStatusException"/>'s or an OpenAI SDK
    /// <see cref="ClientResultException"/>'s (searched through inner exceptions); null when none has one. It can echo
    /// the caller's key: mask it before logging, never pass it on.
    /// </summary>
    public static string? TextOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case UpstreamStatusException status:
                    return status.Body;
                case ClientResultException result:
                    try
                    {
                        return result.GetRawResponse()?.Content?.ToString();
                    }
                    catch (InvalidOperationException)
                    {
                        return null; // the body was never buffered
                    }
            }
        }

        return null;
    }

    // A number or other non-string value (some servers send numeric codes) is kept as its JSON text.
    private static string? String(JsonElement error, string name) =>
        !error.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null
        : value.GetRawText();
}
