namespace Parley.Nlu.Torch.Onnx;

/// <summary>A float initializer of an ONNX model: its name, shape and values (row-major).</summary>
/// <param name="Name">The initializer's name in the graph.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Values">The values, row-major.</param>
internal sealed record OnnxTensor(string Name, long[] Shape, float[] Values);
