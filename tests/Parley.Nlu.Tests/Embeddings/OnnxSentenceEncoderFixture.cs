using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Tests.Embeddings;

/// <summary>One encoder (a second to load) shared by the tests of a class; small batches to exercise batching.</summary>
public sealed class OnnxSentenceEncoderFixture : IDisposable
{
    public OnnxSentenceEncoder Encoder { get; } = new(new EncoderOptions { Threads = 2, BatchSize = 3 });

    public void Dispose() => Encoder.Dispose();
}
