using Microsoft.Extensions.AI;

namespace Parley.Server.Tests.FineTuning;

/// <summary>
/// An encoder that never answers: it reports that it was entered and waits until it is cancelled, so a job stays in
/// training for as long as a test needs.
/// </summary>
internal sealed class GatedEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Entered.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            Cancelled.TrySetResult();
        }

        throw new InvalidOperationException("unreachable");
    }

    protected override void Dispose(bool disposing)
    {
        // The inner encoder is shared by the tests.
    }
}
