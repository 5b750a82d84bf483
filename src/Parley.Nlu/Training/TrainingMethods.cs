namespace Parley.Nlu.Training;

/// <summary>The names of the training methods of <c>parley nlu train --method</c>, bot packs and fine-tuning jobs.</summary>
public static class TrainingMethods
{
    /// <summary>Chosen by the data (<see cref="MethodSelection"/>).</summary>
    public const string Auto = "auto";

    /// <summary>A classifier head on frozen features.</summary>
    public const string Head = "head";

    /// <summary>The whole encoder and a head.</summary>
    public const string Full = "full";

    /// <summary>Low-rank adapters on the encoder and a head.</summary>
    public const string Lora = "lora";

    /// <summary>SetFit-style contrastive fine-tuning of the encoder, then a head.</summary>
    public const string Contrastive = "contrastive";

    /// <summary>Every method, <see cref="Auto"/> first.</summary>
    public static IReadOnlyList<string> All { get; } = [Auto, Head, Full, Lora, Contrastive];

    /// <summary>Whether <paramref name="method"/> fine-tunes the encoder (and so needs TorchSharp).</summary>
    /// <param name="method">A method name.</param>
    public static bool FineTunesEncoder(string method) => method is Full or Lora or Contrastive;
}
