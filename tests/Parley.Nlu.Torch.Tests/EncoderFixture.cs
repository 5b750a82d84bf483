using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Torch.Tests;

/// <summary>The package's encoder in TorchSharp and in ONNX Runtime, loaded once for the test class.</summary>
public sealed class EncoderFixture : IDisposable
{
    public TorchSentenceEncoder Torch { get; } = TorchSentenceEncoder.Load();

    public OnnxSentenceEncoder Onnx { get; } = new(new EncoderOptions { MaxTokens = 128 });

    public void Dispose()
    {
        Torch.Dispose();
        Onnx.Dispose();
    }
}
