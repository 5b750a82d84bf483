using System.Globalization;
using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;

namespace Parley.Cli.Rendering;

/// <summary>
/// Shows fine-tuning progress on standard error through <see cref="CliContext.Status"/>: steps (step, loss, time left;
/// redrawn in place on a terminal, about a hundred lines in a log) and one line that stays per epoch with its validation
/// accuracy.
/// </summary>
internal sealed class EncoderProgressWriter(CliContext context, bool quiet)
{
    private int _lastStep;

    public IProgress<EncoderTrainingProgress>? Progress => quiet ? null : new Core.SynchronousProgress<EncoderTrainingProgress>(Report);

    private void Report(EncoderTrainingProgress p)
    {
        if (p.IsEpochEnd)
        {
            context.Status.Line(string.Create(CultureInfo.InvariantCulture,
                $"fine-tuning epoch {p.Epoch}: step {p.Step}/{p.TotalSteps}  train loss {p.Loss:0.0000}  val acc {p.ValidationAccuracy:0.0000}  ({p.Elapsed.TotalSeconds:0} s)"));
            return;
        }

        var every = Math.Max(1, p.TotalSteps / 100);
        if (p.Step - _lastStep < every && p.Step != 1)
        {
            return;
        }

        _lastStep = p.Step;
        context.Status.Step(string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps}  epoch {p.Epoch}  loss {p.Loss:0.0000}  ETA {Format(p.Remaining)}"));
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.Seconds}s";
}
