using System.Collections.Concurrent;
using Parley.Core.IO;
using Parley.Nlu.FineTuning;
using Parley.OpenAI.FineTuning;
using Parley.Server.Hosting;
using Parley.Server.Models;

namespace Parley.Server.FineTuning;

/// <summary>The models of succeeded fine-tuning jobs: listed in <c>/v1/models</c>, loaded once on first use to answer chats.</summary>
internal sealed class FineTunedModels(FineTuningStore store, BotRegistry registry)
{
    /// <summary>The prefix of fine-tuned model ids.</summary>
    public const string Prefix = "ft:";

    private readonly ConcurrentDictionary<string, Lazy<Task<ChatResponseModel>>> _loaded = new(StringComparer.Ordinal);

    /// <summary>The fine-tuned model <paramref name="modelId"/>, or null when no succeeded job made it.</summary>
    public async Task<ChatResponseModel?> FindAsync(string modelId, CancellationToken cancellationToken)
    {
        // Loaded models answer without reading their job again; DeleteAsync takes them out of the cache.
        if (_loaded.TryGetValue(modelId, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
        {
            return await loaded.Value.ConfigureAwait(false);
        }

        if (await FindJobAsync(modelId, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return null;
        }

        var lazy = _loaded.GetOrAdd(modelId, _ => new Lazy<Task<ChatResponseModel>>(() => ChatResponseModel.LoadAsync(store.ModelPath(job.Id), registry.Embeddings)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not cached, so a model restored on disk loads on the next request.
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<ChatResponseModel>>>(modelId, lazy));
            throw;
        }
    }

    /// <summary>The succeeded job that made <paramref name="modelId"/>, or null.</summary>
    public async Task<FineTuningJobObject?> FindJobAsync(string modelId, CancellationToken cancellationToken)
    {
        if (!modelId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var job = await store.GetJobAsync(modelId[(modelId.LastIndexOf(':') + 1)..], cancellationToken).ConfigureAwait(false);
        return job is { Status: FineTuningJobStatuses.Succeeded } && job.FineTunedModel == modelId && Directory.Exists(store.ModelPath(job.Id)) ? job : null;
    }

    /// <summary>Deletes the fine-tuned model <paramref name="modelId"/> (its job stays, with its events and checkpoints); false when there is none.</summary>
    public async Task<bool> DeleteAsync(string modelId, CancellationToken cancellationToken)
    {
        if (await FindJobAsync(modelId, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return false;
        }

        _loaded.TryRemove(modelId, out _);
        var path = store.ModelPath(job.Id);
        var doomed = path + ".deleted-" + Guid.NewGuid().ToString("N");
        // Moved aside first, so the model disappears at once even if deleting its files takes a while.
        Directory.Move(path, doomed);
        AtomicFolder.TryDelete(doomed);
        return true;
    }

    /// <summary>The fine-tuned models, oldest first, created when their job finished.</summary>
    public async Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var jobs = await store.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        return [.. jobs.Reverse()
            .Where(j => j.Status == FineTuningJobStatuses.Succeeded && j.FineTunedModel is not null && Directory.Exists(store.ModelPath(j.Id)))
            .Select(j => new ModelInfo(j.FineTunedModel!, j.FinishedAt ?? j.CreatedAt, ModelEndpoints.Owner))];
    }
}
