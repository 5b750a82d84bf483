using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Core.IO;
using Parley.Nlu.Features;
using Parley.Nlu.Training;

namespace Parley.Nlu.Models;

/// <summary>Writes and reads model folders.</summary>
internal static class ModelFolder
{
    /// <summary>The name of a fine-tuned encoder inside a model folder.</summary>
    public const string EncoderFileName = "encoder.onnx";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task SaveAsync(IntentModel model, string directory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"Cannot save a model at the root '{target}'.", nameof(directory));
        var name = Path.GetFileName(target);
        if (File.Exists(target))
        {
            throw new IOException($"Cannot save the model to '{target}': a file of that name exists.");
        }

        Directory.CreateDirectory(parent);
        var temp = AtomicFolder.StagingPath(target);
        try
        {
            Directory.CreateDirectory(temp);
            var head = HeadFile.Serialize(model.Head);
            await WriteAsync(Path.Combine(temp, model.Manifest.HeadFile), head, cancellationToken).ConfigureAwait(false);
            // The featurizer's settings hold the encoder's absolute path; a loaded model's manifest names it relative to its folder.
            var featurizer = await CopyEncoderAsync(model.Manifest.Featurizer, model.Featurizer.Settings.EncoderFile, temp, cancellationToken).ConfigureAwait(false);
            var gate = model.Manifest.Gate;
            if (gate is not null && model.Centroids is { } centroids)
            {
                // The centroids are a matrix like the head's weights: the same checksummed file format, with zero biases.
                var bytes = HeadFile.Serialize(new SoftmaxHead(centroids.Count, model.Head.Dimensions, [.. centroids.SelectMany(c => c)], new float[centroids.Count]));
                await WriteAsync(Path.Combine(temp, gate.File), bytes, cancellationToken).ConfigureAwait(false);
                gate = gate with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
            }

            var manifest = model.Manifest with
            {
                Gate = gate,
                Featurizer = featurizer,
                FormatVersion = ModelManifest.CurrentFormatVersion,
                Created = timeProvider.GetUtcNow(),
                HeadSha256 = Convert.ToHexStringLower(SHA256.HashData(head)),
                Classes = model.Head.Classes,
                Dimensions = model.Head.Dimensions,
                Packages = Packages(),
            };
            await WriteAsync(Path.Combine(temp, ModelManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, Json), cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            AtomicFolder.Replace(temp, target);
        }
        finally
        {
            AtomicFolder.TryDelete(temp);
        }
    }

    public static async Task<IntentModel> LoadAsync(string directory, Func<FeaturizerSettings, IFeaturizer> featurizerFactory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(featurizerFactory);
        var folder = Path.GetFullPath(directory);
        var manifestPath = Path.Combine(folder, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelFormatException(Directory.Exists(folder)
                ? $"{manifestPath} is missing: '{folder}' is not a complete Parley model; re-train or restore it."
                : $"There is no model at '{folder}'.");
        }

        var manifest = ReadManifest(manifestPath, folder, await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false));
        var headPath = Path.Combine(folder, manifest.HeadFile);
        if (!File.Exists(headPath))
        {
            throw new ModelFormatException($"{headPath} is missing; re-train the model or restore the file.");
        }

        var bytes = await File.ReadAllBytesAsync(headPath, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), manifest.HeadSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFormatException($"{headPath} is corrupt: its SHA-256 does not match the one in {ModelManifest.FileName}; re-train the model or restore the file.");
        }

        var (head, problem) = HeadFile.Deserialize(bytes, manifest.Classes, manifest.Dimensions);
        if (head is null)
        {
            throw new ModelFormatException($"{headPath} {problem}; re-train the model or restore the file.");
        }

        var settings = manifest.Featurizer;
        if (settings.EncoderFile is { } encoderFile)
        {
            var encoderPath = Path.Combine(folder, encoderFile);
            if (Path.IsPathRooted(encoderFile) || !File.Exists(encoderPath))
            {
                throw new ModelFormatException($"{encoderPath} (the model's fine-tuned encoder) is missing; re-train the model or restore the file.");
            }

            settings = settings with { EncoderFile = encoderPath };
        }

        var featurizer = featurizerFactory(settings);
        if (featurizer.Dimensions != head.Dimensions)
        {
            throw new ModelFormatException($"The featurizer built from {manifestPath} produces {featurizer.Dimensions} values but the head expects {head.Dimensions}.");
        }

        return new IntentModel(featurizer, head, manifest, await ReadCentroidsAsync(folder, manifest, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<float[][]?> ReadCentroidsAsync(string folder, ModelManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Gate is not { } gate)
        {
            return null;
        }

        var path = Path.Combine(folder, gate.File);
        if (Path.IsPathRooted(gate.File) || !File.Exists(path))
        {
            throw new ModelFormatException($"{path} (the similarity gate's centroids) is missing; re-train the model or restore the file.");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), gate.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFormatException($"{path} is corrupt: its SHA-256 does not match the one in {ModelManifest.FileName}; re-train the model or restore the file.");
        }

        var (matrix, problem) = HeadFile.Deserialize(bytes, gate.Labels.Count, manifest.Dimensions);
        if (matrix is null)
        {
            throw new ModelFormatException($"{path} {problem}; re-train the model or restore the file.");
        }

        return [.. Enumerable.Range(0, matrix.Classes).Select(c => matrix.Weights.Slice(c * matrix.Dimensions, matrix.Dimensions).ToArray())];
    }

    /// <summary>
    /// Copies a fine-tuned encoder (<paramref name="source"/>, the path the featurizer runs it from) into the folder being
    /// written as <see cref="EncoderFileName"/>; the settings saved name it relative to the folder.
    /// </summary>
    private static async Task<FeaturizerSettings> CopyEncoderAsync(FeaturizerSettings settings, string? source, string folder, CancellationToken cancellationToken)
    {
        if (settings.EncoderFile is null || source is null)
        {
            return settings;
        }

        var path = Path.GetFullPath(source);
        var target = Path.Combine(folder, EncoderFileName);
        var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (input.ConfigureAwait(false))
        {
            var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
        }

        return settings with { EncoderFile = EncoderFileName };
    }

    private static ModelManifest ReadManifest(string path, string folder, byte[] json)
    {
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                if (!document.RootElement.TryGetProperty("formatVersion", out var version) || !version.TryGetInt32(out var number))
                {
                    throw new ModelFormatException($"{path} has no formatVersion: it is not a Parley model manifest.");
                }

                if (number != ModelManifest.CurrentFormatVersion)
                {
                    throw new ModelFormatException(
                        $"The model at {folder} has format version {number}; this Parley reads version {ModelManifest.CurrentFormatVersion}: re-train or upgrade.");
                }
            }

            var manifest = JsonSerializer.Deserialize<ModelManifest>(json, Json) ?? throw new ModelFormatException($"{path} is empty.");
            if (manifest.Labels.Count != manifest.Classes || manifest.Classes < 1 || manifest.Dimensions < 1)
            {
                throw new ModelFormatException($"{path} is inconsistent: {manifest.Labels.Count} labels for {manifest.Classes} classes of {manifest.Dimensions} dimensions.");
            }

            return manifest;
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path} is not valid JSON ({e.Message}); re-train the model or restore the file.", e);
        }
    }

    private static async Task WriteAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private static Dictionary<string, string> Packages() => new(StringComparer.Ordinal)
    {
        ["Parley.Nlu"] = Version(typeof(ModelFolder).Assembly),
        ["Microsoft.ML.OnnxRuntime"] = Version(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly),
        [".NET"] = Environment.Version.ToString(),
    };

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
