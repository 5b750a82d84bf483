using System.Globalization;
using Parley.OpenAI.FineTuning;

namespace Parley.Cli.Rendering;

/// <summary>
/// Prints a followed fine-tuning job as plain lines, one per status change and per event (with its time), so that the
/// display works the same in a terminal, a log file or a pipe.
/// </summary>
internal static class FineTuneProgressWriter
{
    public static async Task WriteAsync(TextWriter writer, FineTuningProgress progress, TimeProvider clock)
    {
        foreach (var item in progress.NewEvents)
        {
            await writer.WriteLineAsync(EventLine(item)).ConfigureAwait(false);
        }

        if (progress.StatusChanged)
        {
            var job = progress.Job;
            var detail = job.Status switch
            {
                FineTuningJobStatuses.Succeeded => $" → {job.FineTunedModel ?? "(no fine_tuned_model reported)"}",
                FineTuningJobStatuses.Failed => $": {job.Error?.Message ?? "no reason given"}",
                _ => string.Empty,
            };
            await writer.WriteLineAsync($"[{clock.GetUtcNow():HH:mm:ss}] {job.Id} {job.Status}{detail}").ConfigureAwait(false);
        }
    }

    /// <summary>"[12:03:04] info  Step 10/100: training loss=0.41" (times in UTC).</summary>
    public static string EventLine(FineTuningEventInfo item) => string.Create(CultureInfo.InvariantCulture,
        $"[{(item.CreatedAt is { } at ? at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "--:--:--")}] {item.Level,-5} {item.Message.ReplaceLineEndings(" ")}");
}
