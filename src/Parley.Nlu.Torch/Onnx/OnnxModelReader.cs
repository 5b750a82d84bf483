using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Parley.Nlu.Torch.Onnx;

/// <summary>
/// Reads what the encoder needs from an ONNX model without an ONNX object model: the float initializers and, for
/// naming them, each node's operator, inputs and outputs. Field numbers are those of onnx.proto
/// (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto.input = 1, output = 2, op_type = 4;
/// TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9).
/// </summary>
internal static class OnnxModelReader
{
    internal const int ModelGraph = 7;
    internal const int GraphNode = 1;
    internal const int GraphInitializer = 5;
    internal const int TensorDims = 1;
    internal const int TensorDataType = 2;
    internal const int TensorFloatData = 4;
    internal const int TensorName = 8;
    internal const int TensorRawData = 9;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeOpType = 4;
    private const int FloatType = 1;

    /// <summary>A node of the graph: operator, inputs and outputs.</summary>
    internal sealed record Node(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

    /// <summary>Reads the float initializers (by name) and the nodes of <paramref name="model"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model with a graph.</exception>
    public static (Dictionary<string, OnnxTensor> Initializers, List<Node> Nodes) Read(byte[] model)
    {
        var graph = FindGraph(model) ?? throw new InvalidDataException("the ONNX model has no graph");
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var nodes = new List<Node>();
        var input = new CodedInputStream(model, graph.Offset, graph.Count);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case GraphNode when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    nodes.Add(ReadNode(input.ReadBytes()));
                    break;
                case GraphInitializer when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    if (ReadTensor(input.ReadBytes()) is { } tensor)
                    {
                        initializers[tensor.Name] = tensor;
                    }

                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (initializers, nodes);
    }

    /// <summary>Where the graph's bytes are inside <paramref name="model"/>.</summary>
    internal static ArraySegment<byte>? FindGraph(byte[] model)
    {
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ModelGraph && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var length = input.ReadLength();
                return new ArraySegment<byte>(model, (int)input.Position, length);
            }

            input.SkipLastField();
        }

        return null;
    }

    /// <summary>The name of a serialized TensorProto.</summary>
    internal static string TensorNameOf(ReadOnlySpan<byte> tensor)
    {
        var input = new CodedInputStream(tensor.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == TensorName)
            {
                return input.ReadString();
            }

            input.SkipLastField();
        }

        return "";
    }

    private static Node ReadNode(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case NodeInput:
                    inputs.Add(input.ReadString());
                    break;
                case NodeOutput:
                    outputs.Add(input.ReadString());
                    break;
                case NodeOpType:
                    op = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new Node(op, inputs, outputs);
    }

    private static OnnxTensor? ReadTensor(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        var type = 0;
        var name = "";
        ByteString? raw = null;
        var floats = new List<float>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorDims when packed:
                    var dimsInput = input.ReadBytes().CreateCodedInput();
                    while (!dimsInput.IsAtEnd)
                    {
                        dims.Add(dimsInput.ReadInt64());
                    }

                    break;
                case TensorDims:
                    dims.Add(input.ReadInt64());
                    break;
                case TensorDataType:
                    type = input.ReadInt32();
                    break;
                case TensorFloatData when packed:
                    floats.AddRange(MemoryMarshal.Cast<byte, float>(input.ReadBytes().Span).ToArray());
                    break;
                case TensorFloatData:
                    floats.Add(input.ReadFloat());
                    break;
                case TensorName:
                    name = input.ReadString();
                    break;
                case TensorRawData:
                    raw = input.ReadBytes();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (type != FloatType)
        {
            return null;
        }

        var values = raw is null ? floats.ToArray() : MemoryMarshal.Cast<byte, float>(raw.Span).ToArray();
        return new OnnxTensor(name, [.. dims], values);
    }
}
