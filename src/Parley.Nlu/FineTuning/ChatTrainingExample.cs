namespace Parley.Nlu.FineTuning;

/// <summary>One assistant reply of a chat-format example, with the input that leads to it.</summary>
/// <param name="Input">The conversation so far as the encoder sees it (see <see cref="ChatExampleExtractor.RenderInput"/>).</param>
/// <param name="Reply">The assistant's reply: the label to learn.</param>
/// <param name="Line">The 1-based line of the example in its file, or 0.</param>
public sealed record ChatTrainingExample(string Input, string Reply, int Line);
