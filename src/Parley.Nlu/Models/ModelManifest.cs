using Parley.Nlu.Features;
using Parley.Nlu.Training;

namespace Parley.Nlu.Models;

/// <summary>The contents of a model folder's <c>manifest.json</c>: everything about a model except its weights.</summary>
public sealed record ModelManifest
{
    /// <summary>The format version this Parley writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The manifest's file name.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format version of the folder.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>When the model was saved; <see langword="default"/> for a model that has not been saved.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>SHA-256 of the training and validation data the head was trained on (<see cref="TrainingResult.DataHash"/>).</summary>
    public required string DataHash { get; init; }

    /// <summary>The seed of the training run.</summary>
    public int Seed { get; init; }

    /// <summary>The trainer settings.</summary>
    public required TrainerOptions Trainer { get; init; }

    /// <summary>The settings that rebuild the featurizer.</summary>
    public required FeaturizerSettings Featurizer { get; init; }

    /// <summary>How the model was trained (<see cref="TrainingMethods"/>: head, full, lora or contrastive). Default head.</summary>
    public string Method { get; init; } = TrainingMethods.Head;

    /// <summary>Why <see cref="Method"/> was used (<see cref="MethodSelection.Resolve"/>), or null when not recorded.</summary>
    public string? MethodReason { get; init; }

    /// <summary>The training data's augmentation (<see cref="TypoAugmentation"/>: none or typos). Default none.</summary>
    public string Augmentation { get; init; } = TypoAugmentation.None;

    /// <summary>Why <see cref="Augmentation"/> was used, or null when not recorded.</summary>
    public string? AugmentationReason { get; init; }

    /// <summary>The class labels, by head output index.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The out-of-scope operating point.</summary>
    public required OosCalibration Calibration { get; init; }

    /// <summary>
    /// Summary numbers of the training run: <c>best_epoch</c>, <c>train_count</c>, <c>validation_count</c>,
    /// <c>validation_accuracy</c>, <c>validation_loss</c>, <c>train_loss</c> (NaN when there was no validation data).
    /// Other tools may add more (e.g. test metrics).
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The nearest-centroid out-of-scope gate (models on sentence embeddings), or null when there is none.</summary>
    public SimilarityGate? Gate { get; init; }

    /// <summary>Per-epoch training metrics of the head.</summary>
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];

    /// <summary>Versions of the software that wrote the model: Parley.Nlu, ONNX Runtime, .NET.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; init; } = new Dictionary<string, string>();

    /// <summary>The head's file in the folder.</summary>
    public string HeadFile { get; init; } = "head.bin";

    /// <summary>The number of classes in the head.</summary>
    public int Classes { get; init; }

    /// <summary>The length of the feature vectors the head expects.</summary>
    public int Dimensions { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the head file; empty for a model that has not been saved.</summary>
    public string HeadSha256 { get; init; } = "";
}
