using System.Globalization;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Models;
using Parley.Nlu.Training;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// Trains a <see cref="ChatResponseModel"/> from fine-tuning data with <see cref="IntentModelTrainer"/>: intent data
/// as it is; chat data with each distinct assistant reply as one class (<c>reply-001</c>, … in order of first
/// appearance) and the conversation before it as the input.
/// </summary>
public static class ChatResponseModelTrainer
{
    /// <summary>Trains the model.</summary>
    /// <param name="featurizer">The featurizer (sentence embeddings, behind the embedding cache).</param>
    /// <param name="training">The training data.</param>
    /// <param name="validation">Validation data of the same kind, or null to hold out a stratified part of the training data.</param>
    /// <param name="hyperparameters">The hyperparameters; null for Parley's defaults.</param>
    /// <param name="fallbackReply">The reply to out-of-scope input of chat models; null for <see cref="ChatResponseModel.DefaultFallbackReply"/>.</param>
    /// <param name="progress">Progress reporting, if wanted.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; training stops within a mini-batch.</param>
    /// <exception cref="ArgumentException">The validation data is of another kind than the training data.</exception>
    public static Task<ChatResponseModel> TrainAsync(
        IFeaturizer featurizer,
        FineTuningData training,
        FineTuningData? validation = null,
        FineTuningHyperparameters? hyperparameters = null,
        string? fallbackReply = null,
        IntentTrainingProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        var options = (hyperparameters ?? new FineTuningHyperparameters()).ToTrainerOptions();
        return TrainAsync(
            training,
            validation,
            (train, valid, token) => IntentModelTrainer.TrainAsync(featurizer, train, valid, options, progress, token),
            fallbackReply,
            cancellationToken);
    }

    /// <summary>
    /// Trains the model with <paramref name="trainIntentModel"/> (for example one that fine-tunes the encoder first): it
    /// gets the training examples and the validation examples (null: hold out part of the training data), relabelled for
    /// chat data as <see cref="TrainAsync(IFeaturizer, FineTuningData, FineTuningData?, FineTuningHyperparameters?, string?, IntentTrainingProgress?, CancellationToken)"/> describes.
    /// </summary>
    /// <param name="training">The training data.</param>
    /// <param name="validation">Validation data of the same kind, or null.</param>
    /// <param name="trainIntentModel">Trains the intent model on the examples.</param>
    /// <param name="fallbackReply">The reply to out-of-scope input of chat models; null for <see cref="ChatResponseModel.DefaultFallbackReply"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="ArgumentException">The validation data is of another kind than the training data.</exception>
    public static async Task<ChatResponseModel> TrainAsync(
        FineTuningData training,
        FineTuningData? validation,
        Func<IReadOnlyList<LabeledExample>, IReadOnlyList<LabeledExample>?, CancellationToken, Task<IntentModel>> trainIntentModel,
        string? fallbackReply = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(trainIntentModel);
        if (validation is not null && validation.Kind != training.Kind)
        {
            throw new ArgumentException($"the validation data is {Describe(validation.Kind)} but the training data is {Describe(training.Kind)}", nameof(validation));
        }

        var replies = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<LabeledExample> trainExamples = training.Examples, validExamples = validation?.Examples ?? [];
        if (training.Kind == FineTuningDataKind.Chat)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            LabeledExample Relabel(LabeledExample e)
            {
                if (!labels.TryGetValue(e.Intent, out var label))
                {
                    label = string.Create(CultureInfo.InvariantCulture, $"reply-{labels.Count + 1:D3}");
                    labels[e.Intent] = label;
                }

                return e with { Intent = label };
            }

            trainExamples = [.. trainExamples.Select(Relabel)];
            validExamples = [.. validExamples.Select(Relabel)];
            foreach (var (reply, label) in labels)
            {
                replies[label] = reply;
            }
        }

        var model = await trainIntentModel(trainExamples, validation is null ? null : validExamples, cancellationToken).ConfigureAwait(false);
        return new ChatResponseModel(model, new ChatResponseManifest
        {
            Kind = training.Kind,
            Replies = replies.Where(r => model.Labels.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal),
            FallbackReply = string.IsNullOrWhiteSpace(fallbackReply) ? ChatResponseModel.DefaultFallbackReply : fallbackReply,
            Inputs = [.. training.Examples.Where(e => e.Intent != OutOfScope.Label).Select(e => e.Text).Distinct(StringComparer.Ordinal)],
            MinSimilarity = ChatResponseModel.DefaultMinSimilarity,
        });
    }

    private static string Describe(FineTuningDataKind kind) => kind == FineTuningDataKind.Chat ? "chat format" : "intent-labelled";
}
