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
        using var body = await ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        return body.ParseObject();
    }

    /// <summary>The body's bytes in a pooled buffer, which goes back to the pool when the result is disposed.</summary>
    public static async Task<Bytes> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // One more byte than announced, so a body of the announced length ends with a read of 0 without growing.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and < 1024 * 1024 ? (int)request.ContentLength + 1 : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new Bytes(buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static ApiException TooLarge(long maxBytes) =>
        new(413, $"the request body is larger than the server's limit of {maxBytes} bytes", code: "request_too_large");

    /// <summary>A request body read into a pooled buffer.</summary>
    public sealed class Bytes(byte[] buffer, int length) : IDisposable
    {
        private byte[]? _buffer = buffer;

        /// <summary>The body.</summary>
        public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(Bytes))).AsMemory(0, length);

        /// <summary>Parses the body as a JSON object (strictly: <see cref="StrictJson"/>).</summary>
        /// <exception cref="ApiException">400 <c>invalid_json</c>.</exception>
        public JsonObject ParseObject()
        {
            JsonNode? node;
            try
            {
                node = StrictJson.ParseRequest(Memory.Span);
            }
            catch (JsonException e)
            {
                throw new ApiException(400, $"the request body is not valid JSON: {e.Message}", code: "invalid_json");
            }

            return node as JsonObject ?? throw new ApiException(400, "the request body must be a JSON object", code: "invalid_json");
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } rented)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
