using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Parley.Core.History;
using Parley.Core.IO;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// A locally fine-tuned model that answers chats: an <see cref="IntentModel"/> picks, for the last user message, one
/// reply of a fixed answer set (chat-format training data) or an intent name (intent-labelled data). Out-of-scope
/// input gets <see cref="FallbackReply"/> (chat) or <c>oos</c> (intents).
/// </summary>
/// <remarks>
/// Responses finish with <see cref="ChatFinishReason.Stop"/>, or <see cref="ChatFinishReason.Length"/> when
/// <see cref="ChatOptions.MaxOutputTokens"/> cut the reply; their usage counts cl100k tokens, and their
/// <see cref="ChatResponse.AdditionalProperties"/> hold <see cref="LabelProperty"/> and <see cref="ConfidenceProperty"/>.
/// </remarks>
public sealed class ChatResponseModel : IChatClient
{
    /// <summary>The default reply for out-of-scope input.</summary>
    public const string DefaultFallbackReply = "Sorry, I can't help with that. Please rephrase it, or ask about something else.";

    /// <summary>
    /// The similarity gate's default: an input less similar than this (cosine, all-MiniLM-L6-v2) to every training input
    /// is out of scope. Small data sets leave too few validation items to calibrate the head's threshold (it is then 0),
    /// so without the gate every question, however unrelated, would get one of the trained replies.
    /// </summary>
    public const double DefaultMinSimilarity = 0.4;

    /// <summary>The additional property holding the chosen label (a reply id, an intent, or <c>oos</c>).</summary>
    public const string LabelProperty = "parley.label";

    /// <summary>The additional property holding the head's probability of the best in-scope label.</summary>
    public const string ConfidenceProperty = "parley.confidence";

    /// <summary>The folder of the intent model inside a model folder.</summary>
    public const string IntentFolder = "intent";

    private readonly NearestExampleIntentClassifier? _gate;

    private static readonly ChatTokenCounter Counter = ChatTokenCounter.ForEncoding(ChatTokenCounter.Cl100kBase);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Creates the model.</summary>
    /// <param name="model">The trained intent model.</param>
    /// <param name="manifest">The answer set and fallback; every in-scope label of a chat model needs a reply.</param>
    /// <param name="gate">The training inputs' nearest-example matcher for <see cref="ChatResponseManifest.MinSimilarity"/>; null for no gate.</param>
    public ChatResponseModel(IntentModel model, ChatResponseManifest manifest, NearestExampleIntentClassifier? gate = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Kind == FineTuningDataKind.Chat && model.Intents.FirstOrDefault(l => !manifest.Replies.ContainsKey(l)) is { } missing)
        {
            throw new ArgumentException($"the label '{missing}' has no reply", nameof(manifest));
        }

        Model = model;
        Manifest = manifest;
        _gate = manifest.MinSimilarity is null ? null : gate;
    }

    /// <summary>The intent model that chooses the reply.</summary>
    public IntentModel Model { get; }

    /// <summary>The answer set and fallback.</summary>
    public ChatResponseManifest Manifest { get; }

    /// <summary>The reply for out-of-scope input (chat models).</summary>
    public string FallbackReply => Manifest.FallbackReply;

    /// <summary>Chooses the reply to <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation so far.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<(string Reply, string Label, double Confidence)> SelectAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var input = ChatExampleExtractor.RenderInput(messages);
        if (input.Length == 0)
        {
            return (Manifest.Kind == FineTuningDataKind.Chat ? FallbackReply : OutOfScope.Label, OutOfScope.Label, 0);
        }

        if (_gate is not null)
        {
            var nearest = (await _gate.ClassifyAsync(input, cancellationToken).ConfigureAwait(false)).Best;
            if (nearest is null || nearest.Confidence < Manifest.MinSimilarity)
            {
                return (Manifest.Kind == FineTuningDataKind.Chat ? FallbackReply : OutOfScope.Label, OutOfScope.Label, nearest?.Confidence ?? 0);
            }
        }

        var prediction = (await Model.PredictBatchAsync([input], 1, cancellationToken).ConfigureAwait(false))[0];
        var reply = Manifest.Kind == FineTuningDataKind.Intents
            ? prediction.Predicted
            : prediction.IsOutOfScope ? FallbackReply : Manifest.Replies[prediction.Predicted];
        return (reply, prediction.Predicted, prediction.Confidence);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages?.ToList() ?? throw new ArgumentNullException(nameof(messages));
        var (reply, label, confidence) = await SelectAsync(list, cancellationToken).ConfigureAwait(false);
        var finish = ChatFinishReason.Stop;
        if (options?.MaxOutputTokens is { } max && max >= 0)
        {
            var end = Counter.Tokenizer.GetIndexByTokenCount(reply, max, out _, out _);
            if (end < reply.Length)
            {
                reply = reply[..end];
                finish = ChatFinishReason.Length;
            }
        }

        long input = Counter.CountTokens(list), output = Counter.CountTokens(reply);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = options?.ModelId,
            FinishReason = finish,
            Usage = new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = output,
                TotalTokenCount = input + output,
            },
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [LabelProperty] = label,
                [ConfidenceProperty] = confidence,
            },
        };
    }

    /// <inheritdoc />
    /// <remarks>The reply is chosen at once and yielded in pieces of a few words; the last update carries the finish reason and usage.</remarks>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var text = response.Text;
        const int WordsPerPiece = 4;
        var start = 0;
        var words = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ' && ++words % WordsPerPiece == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, text[start..(i + 1)]) { ModelId = response.ModelId };
                start = i + 1;
            }
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, text[start..])
        {
            ModelId = response.ModelId,
            FinishReason = response.FinishReason,
            AdditionalProperties = response.AdditionalProperties,
            Contents = { new UsageContent(response.Usage!) },
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(nameof(Parley))
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>
    /// Saves the model into <paramref name="directory"/> (<c>intent/</c> and <c>replies.json</c>), atomically: written
    /// into a sibling temporary folder that then replaces <paramref name="directory"/>.
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="timeProvider">The clock for the intent model's manifest; the system clock if null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task SaveAsync(string directory, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        _ = Path.GetDirectoryName(target) ?? throw new ArgumentException($"Cannot save a model at the root '{target}'.", nameof(directory));
        var temp = AtomicFolder.StagingPath(target);
        try
        {
            await Model.SaveAsync(Path.Combine(temp, IntentFolder), timeProvider, cancellationToken).ConfigureAwait(false);
            // The staging folder is swapped in whole, so its files need no atomic writes of their own.
            await File.WriteAllTextAsync(Path.Combine(temp, ChatResponseManifest.FileName), JsonSerializer.Serialize(Manifest, Json), cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            AtomicFolder.Replace(temp, target);
        }
        finally
        {
            AtomicFolder.TryDelete(temp);
        }
    }

    /// <summary>Loads a model saved by <see cref="SaveAsync"/>.</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="embeddings">The sentence encoder the features come from (all-MiniLM-L6-v2).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="ModelFormatException">A file is missing or corrupt.</exception>
    public static async Task<ChatResponseModel> LoadAsync(string directory, IEmbeddingGenerator<string, Embedding<float>> embeddings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(embeddings);
        var path = Path.Combine(directory, ChatResponseManifest.FileName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{path} is missing: {directory} is not a fine-tuned Parley model");
        }

        ChatResponseManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ChatResponseManifest>(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), Json)
                ?? throw new ModelFormatException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path} is not valid JSON ({e.Message})", e);
        }

        if (manifest.FormatVersion != ChatResponseManifest.CurrentFormatVersion)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{path} has format version {manifest.FormatVersion}; this Parley reads version {ChatResponseManifest.CurrentFormatVersion}"));
        }

        var model = await IntentModel.LoadAsync(Path.Combine(directory, IntentFolder), s => FeaturizerFactory.Create(s, embeddings), cancellationToken).ConfigureAwait(false);
        var gate = manifest is { MinSimilarity: not null, Inputs.Count: > 0 }
            ? await NearestExampleIntentClassifier.CreateAsync(embeddings, manifest.Inputs.Select(i => new LabeledExample(i, "in-scope")), top: 1, cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            return new ChatResponseModel(model, manifest, gate);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{path} does not match the intent model: {e.Message}", e);
        }
    }
}
