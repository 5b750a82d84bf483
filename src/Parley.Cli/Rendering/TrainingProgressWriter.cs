using System.Diagnostics;
using System.Globalization;
using Parley.Nlu.Training;

namespace Parley.Cli.Rendering;

/// <summary>
/// Shows training progress on standard error (so standard output stays clean for results) through
/// <see cref="CliContext.Status"/>: featurizing in 10% steps, then each epoch with losses, validation accuracy and an
/// estimate of the time left — redrawn on one line on a terminal, a line per step in a log.
/// </summary>
internal sealed class TrainingProgressWriter(CliContext context, bool quiet, int maxEpochs)
{
    private readonly Stopwatch _epochs = new();
    private int _lastDecile = -1;

    public IntentTrainingProgress Progress => new()
    {
        Featurizing = new Core.SynchronousProgress<(int Done, int Total)>(OnFeaturizing),
        Epochs = new Core.SynchronousProgress<EpochMetrics>(OnEpoch),
    };

    private void OnFeaturizing((int Done, int Total) value)
    {
        var decile = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
        if (quiet || decile == _lastDecile)
        {
            return;
        }

        _lastDecile = decile;
        var text = string.Create(CultureInfo.InvariantCulture, $"features: {value.Done}/{value.Total} ({decile * 10}%)");
        if (decile == 10)
        {
            context.Status.Line(text);
        }
        else
        {
            context.Status.Step(text);
        }
    }

    private void OnEpoch(EpochMetrics epoch)
    {
        if (!_epochs.IsRunning)
        {
            _epochs.Start();
        }

        if (quiet)
        {
            return;
        }

        var perEpoch = _epochs.Elapsed.TotalSeconds / Math.Max(1, epoch.Epoch);
        var head = epoch.WithOosClass ? " (with oos class)" : "";
        context.Status.Step(string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch.Epoch,3}/{maxEpochs}{head}  train loss {epoch.TrainLoss:0.0000}  val loss {epoch.ValidationLoss:0.0000}  val acc {epoch.ValidationAccuracy:0.0000}  (at most {perEpoch * (maxEpochs - epoch.Epoch):0} s left; early stopping usually ends sooner)"));
    }
}
