using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Parley.Retrieval.Indexing;

/// <summary>
/// <c>vectors.bin</c>: the magic <c>PLYV</c>, then count and dimensions as little-endian 32-bit integers, then
/// count × dimensions little-endian 32-bit floats, row by row.
/// </summary>
internal static class VectorFile
{
    private const int HeaderBytes = 12;
    private static ReadOnlySpan<byte> Magic => "PLYV"u8;

    public static async Task WriteAsync(string path, float[] matrix, int count, int dimensions, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), dimensions);
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(Bytes(matrix), cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    /// <exception cref="InvalidDataException">The file is truncated or does not hold <paramref name="count"/> vectors.</exception>
    public static async Task<(float[] Matrix, int Dimensions)> ReadAsync(string path, int count, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.Length < HeaderBytes || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("vectors.bin is not a Parley vector file");
        }

        var stored = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var dimensions = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (stored != count || dimensions < 0 || bytes.Length - HeaderBytes != (long)count * dimensions * sizeof(float))
        {
            throw new InvalidDataException($"vectors.bin holds {stored} vectors in {bytes.Length} bytes, the manifest lists {count} passages");
        }

        var matrix = new float[count * dimensions];
        bytes.AsSpan(HeaderBytes).CopyTo(MemoryMarshal.AsBytes(matrix.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("on-disk knowledge indexes are little-endian");
        }

        return (matrix, dimensions);
    }

    private static ReadOnlyMemory<byte> Bytes(float[] matrix) =>
        BitConverter.IsLittleEndian
            ? MemoryMarshal.AsBytes(matrix.AsSpan()).ToArray()
            : throw new PlatformNotSupportedException("on-disk knowledge indexes are little-endian");
}
