using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Parley.Nlu.Torch.Modeling;

/// <summary>One BERT transformer layer (post-LayerNorm, exact GELU), as in all-MiniLM-L6-v2.</summary>
internal sealed class MiniLmLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly int _heads;
    private readonly AdaptableLinear query;
    private readonly AdaptableLinear key;
    private readonly AdaptableLinear value;
    private readonly AdaptableLinear attention_output;
    private readonly LayerNorm attention_norm;
    private readonly AdaptableLinear intermediate;
    private readonly AdaptableLinear output;
    private readonly LayerNorm output_norm;
    private readonly Dropout dropout;

    public MiniLmLayer(string name, MiniLmShape shape, double dropoutRate)
        : base(name)
    {
        _heads = shape.Heads;
        query = new AdaptableLinear("query", shape.Hidden, shape.Hidden);
        key = new AdaptableLinear("key", shape.Hidden, shape.Hidden);
        value = new AdaptableLinear("value", shape.Hidden, shape.Hidden);
        attention_output = new AdaptableLinear("attention_output", shape.Hidden, shape.Hidden);
        attention_norm = nn.LayerNorm(shape.Hidden, MiniLmShape.LayerNormEpsilon);
        intermediate = new AdaptableLinear("intermediate", shape.Hidden, shape.Intermediate);
        output = new AdaptableLinear("output", shape.Intermediate, shape.Hidden);
        output_norm = nn.LayerNorm(shape.Hidden, MiniLmShape.LayerNormEpsilon);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>The linear layers by their HuggingFace names under <c>encoder.layer.N.</c>.</summary>
    public IEnumerable<(string Name, AdaptableLinear Linear)> Linears()
    {
        yield return ("attention.self.query", query);
        yield return ("attention.self.key", key);
        yield return ("attention.self.value", value);
        yield return ("attention.output.dense", attention_output);
        yield return ("intermediate.dense", intermediate);
        yield return ("output.dense", output);
    }

    /// <summary>The LayerNorms by their HuggingFace names under <c>encoder.layer.N.</c>.</summary>
    public IEnumerable<(string Name, LayerNorm Norm)> Norms()
    {
        yield return ("attention.output.LayerNorm", attention_norm);
        yield return ("output.LayerNorm", output_norm);
    }

    /// <param name="hidden">[batch, length, hidden].</param>
    /// <param name="maskBias">[batch, 1, 1, length]: 0 for tokens, a large negative number for padding.</param>
    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var length = hidden.shape[1];
        var size = hidden.shape[2] / _heads;
        Tensor Split(Tensor t) => t.view(batch, length, _heads, size).transpose(1, 2);

        var q = Split(query.forward(hidden));
        var k = Split(key.forward(hidden));
        var v = Split(value.forward(hidden));
        var scores = q.matmul(k.transpose(-1, -2)).div_(Math.Sqrt(size)).add_(maskBias);
        var probabilities = dropout.forward(scores.softmax(-1));
        var context = probabilities.matmul(v).transpose(1, 2).reshape(batch, length, hidden.shape[2]);
        var attended = attention_norm.forward(dropout.forward(attention_output.forward(context)).add_(hidden));
        var expanded = nn.functional.gelu(intermediate.forward(attended));
        var result = output_norm.forward(dropout.forward(output.forward(expanded)).add_(attended));
        return result.MoveToOuterDisposeScope();
    }
}
