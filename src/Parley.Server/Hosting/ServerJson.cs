using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Server;

/// <summary>The JSON settings of the wire format: snake_case names, nulls left out unless a type says otherwise.</summary>
public static class ServerJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the wire settings to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
