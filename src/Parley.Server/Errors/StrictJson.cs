using System.Globalization;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Server.Errors;

/// <summary>
/// Parses JSON sent by clients strictly: besides the syntax, a duplicate property name, a string that is not valid
/// UTF-8 and a <c>\u</c> escape of a lone surrogate are refused (System.Text.Json accepts all three while parsing and
/// fails later, when the value is read).
/// </summary>
internal static class StrictJson
{
    /// <summary>Parses <paramref name="utf8"/>; null for an empty body.</summary>
    /// <exception cref="ApiException">400 <c>invalid_json</c> saying what is wrong and where.</exception>
    public static JsonNode? ParseRequest(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return null;
        }

        if (Check(utf8) is { } problem)
        {
            throw new ApiException(400, $"The request body is not valid JSON: {problem}.", code: "invalid_json");
        }

        // Check found no duplicate property, so the parser need not look for them again.
        return JsonNode.Parse(utf8);
    }

    /// <summary>What is wrong with <paramref name="utf8"/> as strict JSON, or null when nothing is.</summary>
    public static string? Check(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return "it is not UTF-8 text";
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            var objects = new Stack<HashSet<string>>();
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = ReadString(ref reader);
                        if (!objects.Peek().Add(name))
                        {
                            return string.Create(CultureInfo.InvariantCulture, $"the property '{name}' appears twice in one object (at byte {reader.TokenStartIndex})");
                        }

                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // The bytes are valid UTF-8 (checked above); only an escape can hide a lone surrogate.
                        _ = ReadString(ref reader);
                        break;
                }
            }

            return null;
        }
        catch (JsonException e)
        {
            return e.Message.Split(" Path:")[0].TrimEnd('.');
        }
        catch (InvalidOperationException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the string at byte {reader.TokenStartIndex} has a \\u escape of a lone surrogate, which is not text");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader) =>
        // GetString throws InvalidOperationException for an escaped lone surrogate.
        reader.GetString() ?? string.Empty;
}
