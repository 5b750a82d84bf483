using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Parley.Server.Errors;

namespace Parley.Server.Hosting;

/// <summary>Reads a JSON request body within the size limit, turning every client mistake into a 400 or 413.</summary>
internal static class RequestBody
{
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= 64 * 1024 ? (int)request.ContentLength : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        JsonNode? node;
        try
        {
            node = StrictJson.ParseRequest(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"the request body is not valid JSON: {e.Message}", code: "invalid_json");
        }

        return node as JsonObject ?? throw new ApiException(400, "the request body must be a JSON object", code: "invalid_json");
    }

    private static ApiException TooLarge(long maxBytes) =>
        new(413, $"the request body is larger than the server's limit of {maxBytes} bytes", code: "request_too_large");
}
