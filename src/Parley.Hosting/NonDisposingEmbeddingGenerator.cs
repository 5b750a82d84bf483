using Microsoft.Extensions.AI;

namespace Parley.Hosting;

/// <summary>Passes calls to a generator the pipeline does not own, so disposing the pipeline leaves it running.</summary>
internal sealed class NonDisposingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    protected override void Dispose(bool disposing)
    {
        // The shared encoder belongs to the process, not to this container.
    }
}
