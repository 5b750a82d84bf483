using System.Text.Json.Serialization;

namespace Parley.Server.Errors;

/// <summary>The error inside an <see cref="ErrorBody"/>; <c>param</c> and <c>code</c> are written even when null, as OpenAI does.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Type">OpenAI's error type.</param>
/// <param name="Param">The request field at fault.</param>
/// <param name="Code">A machine-readable code.</param>
public sealed record ErrorDetail(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
