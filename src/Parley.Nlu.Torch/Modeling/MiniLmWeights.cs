using Parley.Nlu.Torch.Onnx;

namespace Parley.Nlu.Torch.Modeling;

/// <summary>
/// Names the initializers of the all-MiniLM-L6-v2 ONNX model the way the encoder (and HuggingFace) names its tensors.
/// Biases, LayerNorms and embeddings keep their names in the export; the 36 Linear weight matrices are anonymous numeric
/// initializers stored <c>[in, out]</c>: each is named by following its MatMul to the Add that adds the named bias,
/// and is transposed to <c>[out, in]</c>.
/// </summary>
internal sealed class MiniLmWeights
{
    private const string BiasSuffix = ".bias";
    private const string WeightSuffix = ".weight";

    private MiniLmWeights(Dictionary<string, (string Initializer, bool Transposed)> map, Dictionary<string, OnnxTensor> tensors)
    {
        Map = map;
        Tensors = tensors;
    }

    /// <summary>Encoder tensor name → the ONNX initializer holding it, and whether it is stored transposed.</summary>
    public IReadOnlyDictionary<string, (string Initializer, bool Transposed)> Map { get; }

    /// <summary>The tensors by encoder name, Linear weights <c>[out, in]</c>.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Tensors { get; }

    /// <summary>Reads and names the weights of an ONNX model.</summary>
    /// <exception cref="InvalidDataException">The model is not shaped like a BERT export (a MatMul weight cannot be named).</exception>
    public static MiniLmWeights FromOnnx(byte[] model)
    {
        var (initializers, nodes) = OnnxModelReader.Read(model);
        var map = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in initializers)
        {
            if (name.Contains('.'))
            {
                map[name] = (name, false);
                tensors[name] = tensor;
            }
        }

        var consumers = nodes.SelectMany(n => n.Inputs.Select(i => (Input: i, Node: n))).ToLookup(x => x.Input, x => x.Node, StringComparer.Ordinal);
        foreach (var matmul in nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2))
        {
            var weight = matmul.Inputs[1];
            if (weight.Contains('.') || !initializers.TryGetValue(weight, out var tensor) || tensor.Shape.Length != 2)
            {
                continue;
            }

            var bias = consumers[matmul.Outputs[0]]
                .Where(n => n.OpType == "Add")
                .SelectMany(n => n.Inputs)
                .FirstOrDefault(i => i.EndsWith(BiasSuffix, StringComparison.Ordinal) && initializers.ContainsKey(i))
                ?? throw new InvalidDataException($"the MatMul weight '{weight}' is not followed by the Add of a named bias");
            var name = bias[..^BiasSuffix.Length] + WeightSuffix;
            map[name] = (weight, true);
            tensors[name] = new OnnxTensor(name, [tensor.Shape[1], tensor.Shape[0]], Transpose(tensor.Values, (int)tensor.Shape[0], (int)tensor.Shape[1]));
        }

        return new MiniLmWeights(map, tensors);
    }

    /// <summary>The ONNX initializers that hold <paramref name="tensors"/> (encoder names, Linear weights <c>[out, in]</c>), by initializer name and as stored.</summary>
    public Dictionary<string, float[]> ToInitializers(IReadOnlyDictionary<string, OnnxTensor> tensors)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (!Map.TryGetValue(name, out var target))
            {
                throw new InvalidDataException($"the ONNX model has no initializer for '{name}'");
            }

            result[target.Initializer] = target.Transposed
                ? Transpose(tensor.Values, (int)tensor.Shape[0], (int)tensor.Shape[1])
                : tensor.Values;
        }

        return result;
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return result;
    }
}
