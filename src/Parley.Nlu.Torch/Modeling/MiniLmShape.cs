namespace Parley.Nlu.Torch.Modeling;

/// <summary>The dimensions of all-MiniLM-L6-v2 (BERT: 6 layers, 384 hidden, 12 heads, 1,536 intermediate).</summary>
internal sealed record MiniLmShape
{
    public const double LayerNormEpsilon = 1e-12;

    public static MiniLmShape AllMiniLmL6V2 { get; } = new();

    public int Vocabulary { get; init; } = 30522;

    public int Positions { get; init; } = 512;

    public int Hidden { get; init; } = 384;

    public int Heads { get; init; } = 12;

    public int Intermediate { get; init; } = 1536;

    public int Layers { get; init; } = 6;
}
