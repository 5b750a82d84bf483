using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Nlu.Features;

namespace Parley.Cli.Commands;

/// <summary>
/// Before training on a very large data set: an estimate of the time and memory it will take (the encoding rate is
/// measured here, on a sample of the data), then a confirmation on a terminal, or <c>--yes</c> when not on one.
/// </summary>
internal static class LargeDataCheck
{
    /// <summary>How many training examples make a data set large enough to ask first.</summary>
    public const int Threshold = 50_000;

    private const int SampleSize = 256;

    /// <summary>The <c>--yes</c> option that skips the question.</summary>
    public static Option<bool> CreateYesOption() => new("--yes", "-y") { Description = $"Train on a large data set (over {Threshold:N0} examples) without asking first." };

    /// <summary>Asks (or requires <c>--yes</c>) when <paramref name="texts"/> is large; returns at once otherwise.</summary>
    /// <exception cref="CliException">The user declined, or input is not a terminal and <c>--yes</c> was not given.</exception>
    public static async Task ConfirmAsync(
        CliContext context,
        IReadOnlyList<string> texts,
        string featureKind,
        bool encoderFineTuning,
        bool yes,
        IEmbeddingGenerator<string, Embedding<float>> encoder,
        CancellationToken cancellationToken)
    {
        if (texts.Count <= Threshold || yes)
        {
            return;
        }

        var estimate = await EstimateAsync(texts, featureKind, encoderFineTuning, encoder, cancellationToken).ConfigureAwait(false);
        await context.Error.WriteLineAsync($"{texts.Count:N0} training examples: {estimate}").ConfigureAwait(false);
        if (!context.IsInteractiveInput)
        {
            throw new CliException($"{texts.Count:N0} training examples is a large data set: pass --yes to train on it anyway, or train on a sample", exitCode: ExitCodes.Usage);
        }

        await context.Error.WriteAsync("Train on all of it? [y/N] ").ConfigureAwait(false);
        var answer = (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException("not trained: declined at the size check (pass --yes to skip the question)", exitCode: ExitCodes.Usage);
        }
    }

    private static async Task<string> EstimateAsync(
        IReadOnlyList<string> texts, string featureKind, bool encoderFineTuning, IEmbeddingGenerator<string, Embedding<float>> encoder, CancellationToken cancellationToken)
    {
        var characters = texts.Sum(t => (long)t.Length);
        var textBytes = characters * 2 + texts.Count * 40L;
        if (featureKind == FeaturizerSettings.CharNGrams && !encoderFineTuning)
        {
            return $"char n-gram features need roughly {Megabytes(textBytes * 6)} of memory; training is fast (no encoder)";
        }

        // Encode an evenly spread sample the way training will (the disk cache keeps the result, so it is not wasted).
        var step = Math.Max(1, texts.Count / SampleSize);
        var sample = Enumerable.Range(0, SampleSize).Select(i => texts[Math.Min(texts.Count - 1, i * step)]).Distinct().ToArray();
        var watch = Stopwatch.StartNew();
        var embeddings = await encoder.GenerateAsync(sample, cancellationToken: cancellationToken).ConfigureAwait(false);
        var perSecond = sample.Length / Math.Max(watch.Elapsed.TotalSeconds, 1e-3);
        var dimension = embeddings.Count > 0 ? embeddings[0].Vector.Length : 384;
        var encodeSeconds = texts.Count / perSecond;
        var memory = textBytes + texts.Count * (long)dimension * sizeof(float) * 2;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"encoding them takes about {Duration(encodeSeconds)} here (measured: {perSecond:F0} sentences/s on {sample.Length} of them) and roughly {Megabytes(memory)} of memory");
        return encoderFineTuning
            ? text + "; fine-tuning the encoder runs forward and backward passes, roughly 3× the encoding time per epoch"
            : text + "; the head then trains in a fraction of that";
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F0} MB");

    private static string Duration(double seconds) => seconds switch
    {
        < 90 => $"{seconds:F0} s",
        < 5400 => $"{seconds / 60:F0} min",
        _ => $"{seconds / 3600:F1} h",
    };
}
