using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Parley.Nlu.Torch.Onnx;

/// <summary>
/// Writes a copy of an ONNX model with new values for some float initializers: every other byte of the model — the
/// graph, its nodes, metadata, the other initializers — is copied as it was. A replaced initializer keeps its name,
/// shape and type; its values are written as <c>raw_data</c>.
/// </summary>
internal static class OnnxInitializerWriter
{
    /// <summary>The model with <paramref name="replacements"/> (initializer name → values, as stored) written in.</summary>
    /// <exception cref="InvalidDataException">A replacement names no initializer of the model, or has another number of values.</exception>
    public static byte[] Rewrite(byte[] model, IReadOnlyDictionary<string, float[]> replacements)
    {
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        using var output = new MemoryStream(model.Length + 1024);
        foreach (var field in Fields(model, 0, model.Length))
        {
            if (field.Number == OnnxModelReader.ModelGraph && field.IsLengthDelimited)
            {
                var graph = RewriteGraph(model, field, replacements, replaced);
                WriteLengthDelimited(output, OnnxModelReader.ModelGraph, graph);
            }
            else
            {
                output.Write(model, field.Start, field.End - field.Start);
            }
        }

        var missing = replacements.Keys.Where(k => !replaced.Contains(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"the ONNX model has no float initializer named {string.Join(", ", missing.Take(5).Select(m => $"'{m}'"))}");
        }

        return output.ToArray();
    }

    private static byte[] RewriteGraph(byte[] model, Field graph, IReadOnlyDictionary<string, float[]> replacements, HashSet<string> replaced)
    {
        using var output = new MemoryStream(graph.End - graph.PayloadStart + 1024);
        foreach (var field in Fields(model, graph.PayloadStart, graph.End))
        {
            if (field.Number == OnnxModelReader.GraphInitializer && field.IsLengthDelimited)
            {
                var name = OnnxModelReader.TensorNameOf(model.AsSpan(field.PayloadStart, field.End - field.PayloadStart));
                if (replacements.TryGetValue(name, out var values))
                {
                    WriteLengthDelimited(output, OnnxModelReader.GraphInitializer, RewriteTensor(model, field, name, values));
                    replaced.Add(name);
                    continue;
                }
            }

            output.Write(model, field.Start, field.End - field.Start);
        }

        return output.ToArray();
    }

    private static byte[] RewriteTensor(byte[] model, Field tensor, string name, float[] values)
    {
        using var output = new MemoryStream(values.Length * sizeof(float) + 256);
        long count = 1;
        var isFloat = false;
        foreach (var field in Fields(model, tensor.PayloadStart, tensor.End))
        {
            switch (field.Number)
            {
                case OnnxModelReader.TensorRawData or OnnxModelReader.TensorFloatData:
                    continue;
                case OnnxModelReader.TensorDims:
                    var dims = new CodedInputStream(model, field.PayloadStart, field.End - field.PayloadStart);
                    if (field.IsLengthDelimited)
                    {
                        while (!dims.IsAtEnd)
                        {
                            count *= dims.ReadInt64();
                        }
                    }
                    else
                    {
                        count *= dims.ReadInt64();
                    }

                    break;
                case OnnxModelReader.TensorDataType:
                    isFloat = new CodedInputStream(model, field.PayloadStart, field.End - field.PayloadStart).ReadInt32() == 1;
                    break;
            }

            output.Write(model, field.Start, field.End - field.Start);
        }

        if (!isFloat || count != values.Length)
        {
            throw new InvalidDataException($"the initializer '{name}' holds {count} {(isFloat ? "floats" : "non-float values")}; {values.Length} floats were given");
        }

        WriteLengthDelimited(output, OnnxModelReader.TensorRawData, MemoryMarshal.AsBytes(values.AsSpan()));
        return output.ToArray();
    }

    private static void WriteLengthDelimited(MemoryStream output, int field, ReadOnlySpan<byte> payload)
    {
        WriteVarint(output, WireFormat.MakeTag(field, WireFormat.WireType.LengthDelimited));
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    private static void WriteVarint(MemoryStream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    private readonly record struct Field(int Number, bool IsLengthDelimited, int Start, int PayloadStart, int End);

    /// <summary>The fields of the message in <c>bytes[start..end)</c>, with where each starts, its payload and its end.</summary>
    private static List<Field> Fields(byte[] bytes, int start, int end)
    {
        var fields = new List<Field>();
        var position = start;
        while (position < end)
        {
            var fieldStart = position;
            var tag = ReadVarint(bytes, ref position);
            var payload = position;
            switch (WireFormat.GetTagWireType((uint)tag))
            {
                case WireFormat.WireType.Varint:
                    ReadVarint(bytes, ref position);
                    break;
                case WireFormat.WireType.Fixed64:
                    position += 8;
                    break;
                case WireFormat.WireType.Fixed32:
                    position += 4;
                    break;
                case WireFormat.WireType.LengthDelimited:
                    var length = (int)ReadVarint(bytes, ref position);
                    payload = position;
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"unsupported protobuf wire type in the ONNX model at byte {fieldStart}");
            }

            if (position > end)
            {
                throw new InvalidDataException($"the ONNX model is truncated at byte {fieldStart}");
            }

            fields.Add(new Field(WireFormat.GetTagFieldNumber((uint)tag), WireFormat.GetTagWireType((uint)tag) == WireFormat.WireType.LengthDelimited, fieldStart, payload, position));
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("malformed varint in the ONNX model");
    }
}
