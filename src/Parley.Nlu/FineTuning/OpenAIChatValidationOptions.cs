namespace Parley.Nlu.FineTuning;

/// <summary>How <see cref="OpenAIChatValidator"/> checks a file.</summary>
public sealed class OpenAIChatValidationOptions
{
    /// <summary>The model to be fine-tuned; picks the tokenizer (o200k for gpt-4o and later, else cl100k). Default <c>gpt-4o-mini</c>.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>
    /// The tokens of one example the model trains on; longer examples are truncated and reported. Default
    /// <see cref="OpenAIChatConstants.DefaultMaxTokensPerExample"/> (65,536, current models).
    /// </summary>
    public int MaxTokensPerExample { get; set; } = OpenAIChatConstants.DefaultMaxTokensPerExample;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Model, nameof(Model));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokensPerExample, 1, nameof(MaxTokensPerExample));
    }
}
