using System.Collections.Concurrent;
using Parley.Core.IO;
using Parley.Nlu.FineTuning;
using Parley.OpenAI.FineTuning;
using Parley.Server.Hosting;
using Parley.Server.Models;
using Parley.Server.Security;

namespace Parley.Server.FineTuning;

/// <summary>
/// The models of succeeded fine-tuning jobs: listed in <c>/v1/models</c>, loaded once on first use to answer chats.
/// A model belongs to its job's owner: another key does not find it (404) and does not see it listed.
/// </summary>
internal sealed class FineTunedModels(FineTuningStore store, BotRegistry registry)
{
    /// <summary>The prefix of fine-tuned model ids.</summary>
    public const string Prefix = "ft:";

    private readonly ConcurrentDictionary<string, Lazy<Task<ChatResponseModel>>> _loaded = new(StringComparer.Ordinal);

    /// <summary>The fine-tuned model <paramref name="modelId"/>, or null when no succeeded job that <paramref name="caller"/> may see made it.</summary>
    public async Task<ChatResponseModel?> FindAsync(string modelId, ApiCaller caller, CancellationToken cancellationToken)
    {
        // The job is read every time (one indexed row), so ownership and a deletion on another server count at once.
        if (await FindJobAsync(modelId, caller, cancellationToken).ConfigureAwait(false) is not { } job)
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

    /// <summary>The succeeded job that made <paramref name="modelId"/>, when <paramref name="caller"/> may see it; else null.</summary>
    public async Task<FineTuningJobObject?> FindJobAsync(string modelId, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (!modelId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var job = await store.GetJobAsync(modelId[(modelId.LastIndexOf(':') + 1)..], caller, cancellationToken).ConfigureAwait(false);
        return job is { Status: FineTuningJobStatuses.Succeeded } && job.FineTunedModel == modelId && Directory.Exists(store.ModelPath(job.Id)) ? job : null;
    }

    /// <summary>Deletes the fine-tuned model <paramref name="modelId"/> (its job stays, with its events and checkpoints); false when there is none.</summary>
    public async Task<bool> DeleteAsync(string modelId, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (await FindJobAsync(modelId, caller, cancellationToken).ConfigureAwait(false) is not { } job)
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

    /// <summary>The fine-tuned models <paramref name="caller"/> may see, oldest first, created when their job finished.</summary>
    public async Task<IReadOnlyList<ModelInfo>> ListAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        var jobs = await store.ListJobsAsync(caller, cancellationToken).ConfigureAwait(false);
        return [.. jobs.Reverse()
            .Where(j => j.Status == FineTuningJobStatuses.Succeeded && j.FineTunedModel is not null && Directory.Exists(store.ModelPath(j.Id)))
            .Select(j => new ModelInfo(j.FineTunedModel!, j.FinishedAt ?? j.CreatedAt, ModelEndpoints.Owner))];
    }
}
