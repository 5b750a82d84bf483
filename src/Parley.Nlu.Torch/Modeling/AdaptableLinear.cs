using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Parley.Nlu.Torch.Modeling;

/// <summary>
/// A linear layer (<c>y = x·Wᵀ + b</c>, weight <c>[out, in]</c>) that can carry a LoRA adapter: <c>y += (α/r)·x·Aᵀ·Bᵀ</c>
/// with <c>A [r, in]</c> random and <c>B [out, r]</c> zero, so a fresh adapter changes nothing.
/// </summary>
internal sealed class AdaptableLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private Parameter? lora_a;
    private Parameter? lora_b;
    private double _scaling;

    public AdaptableLinear(string name, int inputs, int outputs)
        : base(name)
    {
        weight = new Parameter(zeros(outputs, inputs));
        bias = new Parameter(zeros(outputs));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    public Parameter? LoraA => lora_a;

    public Parameter? LoraB => lora_b;

    public bool HasAdapter => lora_a is not null;

    /// <summary>Adds a rank-<paramref name="rank"/> adapter (A from a seeded Kaiming-uniform draw, B zero).</summary>
    public void AddAdapter(int rank, double alpha, Generator generator)
    {
        var inputs = weight.shape[1];
        var bound = 1.0 / Math.Sqrt(inputs);
        lora_a = new Parameter((rand(new long[] { rank, inputs }, generator: generator) * 2 - 1) * bound);
        lora_b = new Parameter(zeros(weight.shape[0], rank));
        _scaling = alpha / rank;
        register_parameter("lora_a", lora_a);
        register_parameter("lora_b", lora_b);
    }

    /// <summary>The weight with the adapter folded in (<c>W + (α/r)·B·A</c>), detached.</summary>
    public Tensor MergedWeight()
    {
        using var _ = no_grad();
        return lora_a is null ? weight.detach().clone() : weight + (lora_b!.matmul(lora_a) * _scaling);
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input, weight, bias);
        if (lora_a is null)
        {
            return output;
        }

        using var down = input.matmul(lora_a.t());
        using var up = down.matmul(lora_b!.t());
        return output.add_(up * _scaling);
    }
}
