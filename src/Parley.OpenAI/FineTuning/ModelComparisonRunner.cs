using Microsoft.Extensions.AI;

namespace Parley.OpenAI.FineTuning;

/// <summary>
/// Asks a base and a fine-tuned model the same test examples through <see cref="IChatClient"/>s and scores both by exact
/// match (see <see cref="AnswerMatcher"/>), with a bounded number of requests in flight.
/// </summary>
/// <remarks>
/// The clients are used as given: pass clients with retries (e.g. <see cref="OpenAIChatClientFactory.CreatePipeline"/>)
/// so that one transient failure does not end the run. A request that still fails ends it with that error.
/// </remarks>
public static class ModelComparisonRunner
{
    /// <summary>Runs the comparison.</summary>
    /// <param name="baseClient">The client of the base model.</param>
    /// <param name="baseModel">The base model id, sent as the request's model.</param>
    /// <param name="tunedClient">The client of the fine-tuned model (may be the same endpoint as <paramref name="baseClient"/>).</param>
    /// <param name="tunedModel">The fine-tuned model id.</param>
    /// <param name="dataPath">The test data file, for the result.</param>
    /// <param name="examples">The test examples.</param>
    /// <param name="options">Concurrency, sample size, temperature; default <see cref="ModelComparisonOptions"/>.</param>
    /// <param name="progress">Receives the number of answers received so far (two per example).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<ModelComparisonResult> RunAsync(
        IChatClient baseClient,
        string baseModel,
        IChatClient tunedClient,
        string tunedModel,
        string dataPath,
        IReadOnlyList<ComparisonExample> examples,
        ModelComparisonOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseClient);
        ArgumentNullException.ThrowIfNull(tunedClient);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseModel);
        ArgumentException.ThrowIfNullOrWhiteSpace(tunedModel);
        ArgumentNullException.ThrowIfNull(dataPath);
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new ModelComparisonOptions();
        options.Validate();

        var answers = new string[examples.Count * 2];
        var done = 0;
        var work = Enumerable.Range(0, answers.Length);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken }, async (slot, token) =>
        {
            var tuned = slot % 2 == 1;
            var example = examples[slot / 2];
            var chatOptions = new ChatOptions { ModelId = tuned ? tunedModel : baseModel, Temperature = options.Temperature };
            var response = await (tuned ? tunedClient : baseClient).GetResponseAsync(example.Prompt, chatOptions, token).ConfigureAwait(false);
            answers[slot] = response.Text;
            progress?.Report(Interlocked.Increment(ref done));
        }).ConfigureAwait(false);

        var items = examples
            .Select((example, i) => new ComparisonItem(example.Line, example.LastUserText, example.Expected, answers[2 * i], answers[(2 * i) + 1]))
            .ToList();
        return new ModelComparisonResult
        {
            BaseModel = baseModel,
            TunedModel = tunedModel,
            DataPath = dataPath,
            Items = items,
            SampleSize = options.SampleSize,
        };
    }
}
