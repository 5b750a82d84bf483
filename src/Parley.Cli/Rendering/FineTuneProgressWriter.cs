using System.Globalization;
using Parley.OpenAI.FineTuning;

namespace Parley.Cli.Rendering;

/// <summary>
/// Prints a followed fine-tuning job, one line per status change and per event (with its time). As progress
/// (<c>finetune create --wait</c>), the training steps' events redraw one line on a terminal; as the job's log
/// (<c>finetune events --follow</c>) every event is a line.
/// </summary>
internal static class FineTuneProgressWriter
{
    /// <summary>Prints the job's log: every event and status change is a line of <paramref name="writer"/>.</summary>
    public static Task WriteAsync(TextWriter writer, FineTuningProgress progress, TimeProvider clock) =>
        WriteAsync(line => writer.WriteLine(line), line => writer.WriteLine(line), progress, clock);

    /// <summary>Shows the job as progress on <paramref name="status"/>: step events redraw a line, the rest stay.</summary>
    public static Task WriteAsync(StatusLine status, FineTuningProgress progress, TimeProvider clock) =>
        WriteAsync(status.Step, status.Line, progress, clock);

    private static Task WriteAsync(Action<string> step, Action<string> line, FineTuningProgress progress, TimeProvider clock)
    {
        foreach (var item in progress.NewEvents)
        {
            (item.Message.StartsWith("Step ", StringComparison.Ordinal) ? step : line)(EventLine(item));
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
            line($"[{clock.GetUtcNow():HH:mm:ss}] {job.Id} {job.Status}{detail}");
        }

        return Task.CompletedTask;
    }

    /// <summary>"[12:03:04] info  Step 10/100: training loss=0.41" (times in UTC).</summary>
    public static string EventLine(FineTuningEventInfo item) => string.Create(CultureInfo.InvariantCulture,
        $"[{(item.CreatedAt is { } at ? at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "--:--:--")}] {item.Level,-5} {item.Message.ReplaceLineEndings(" ")}");
}
