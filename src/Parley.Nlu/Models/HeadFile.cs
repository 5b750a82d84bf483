using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Parley.Nlu.Training;

namespace Parley.Nlu.Models;

/// <summary>
/// The binary head file: the ASCII magic <c>PRLYHEAD</c>, then little-endian int32 version (1), classes, dimensions and
/// a reserved 0, then little-endian float32 weights (row-major, classes × dimensions) and biases (classes).
/// </summary>
internal static class HeadFile
{
    private const int HeaderSize = 24;
    private const int Version = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("PRLYHEAD");

    public static byte[] Serialize(SoftmaxHead head)
    {
        var weights = head.Weights;
        var bias = head.Bias;
        var bytes = new byte[HeaderSize + 4 * (weights.Length + bias.Length)];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), head.Classes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), head.Dimensions);
        var body = bytes.AsSpan(HeaderSize);
        WriteFloats(weights, body);
        WriteFloats(bias, body[(4 * weights.Length)..]);
        return bytes;
    }

    /// <summary>Reads a head, or returns the reason it cannot (null reason on success).</summary>
    public static (SoftmaxHead? Head, string? Problem) Deserialize(byte[] bytes, int classes, int dimensions)
    {
        if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return (null, "is not a Parley head file (bad header)");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != Version)
        {
            return (null, $"has head format version {version}; this Parley reads version {Version}");
        }

        var fileClasses = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        var fileDimensions = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        if (fileClasses != classes || fileDimensions != dimensions)
        {
            return (null, $"holds {fileClasses} × {fileDimensions} weights but the manifest says {classes} × {dimensions}");
        }

        var expected = HeaderSize + 4L * (classes * (long)dimensions + classes);
        if (bytes.Length != expected)
        {
            return (null, $"is {bytes.Length} bytes long; expected {expected} (truncated or padded)");
        }

        var weights = new float[classes * dimensions];
        var bias = new float[classes];
        ReadFloats(bytes.AsSpan(HeaderSize, 4 * weights.Length), weights);
        ReadFloats(bytes.AsSpan(HeaderSize + 4 * weights.Length), bias);
        return (new SoftmaxHead(classes, dimensions, weights, bias), null);
    }

    private static void WriteFloats(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], values[i]);
        }
    }

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            source[..(4 * values.Length)].CopyTo(MemoryMarshal.AsBytes(values));
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
        }
    }
}
