using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Nlu.Embeddings;
using Parley.Nlu.FineTuning;
using Parley.Nlu.Training;
using Parley.OpenAI.FineTuning;
using Parley.Server.Errors;
using Parley.Server.Hosting;
using Parley.Server.Security;

namespace Parley.Server.FineTuning;

/// <summary>Reads <c>POST /v1/fine_tuning/jobs</c>; every invalid field is a 400 that names it.</summary>
internal static class FineTuningRequest
{
    /// <summary>The longest suffix OpenAI accepts: 64 characters.</summary>
    public const int MaxSuffixLength = 64;

    /// <summary>The most epochs OpenAI accepts: 50.</summary>
    public const int MaxEpochs = 50;

    /// <summary>The largest batch OpenAI accepts: 256.</summary>
    public const int MaxBatchSize = 256;

    /// <summary>The largest learning-rate multiplier accepted: 10.</summary>
    public const double MaxLearningRateMultiplier = 10;

    private const string Auto = "auto";

    /// <summary>The base models local jobs can start from.</summary>
    public static IReadOnlyList<string> BaseModels { get; } = [MiniLmEmbeddingGenerator.ModelId];

    /// <summary>Checks the request and makes the job it asks for, in <c>validating_files</c>.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="store">The store the files are looked up in.</param>
    /// <param name="caller">Who asks (files of other keys are not found).</param>
    /// <param name="canFineTuneEncoder">Whether this server can fine-tune the encoder (an encoder method is a 400 when not).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<FineTuningJobObject> ParseAsync(JsonObject body, FineTuningStore store, ApiCaller caller, bool canFineTuneEncoder, CancellationToken cancellationToken)
    {
        var model = JsonFields.String(body, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw ApiException.Invalid("model", $"'model' is required: the base model to fine-tune ({string.Join(", ", BaseModels)})");
        }

        if (!BaseModels.Contains(model, StringComparer.Ordinal))
        {
            throw new ApiException(400, $"The model '{model}' cannot be fine-tuned here; the available base models are: {string.Join(", ", BaseModels)}.", "model", "model_not_available");
        }

        var trainingFile = JsonFields.String(body, "training_file");
        if (string.IsNullOrWhiteSpace(trainingFile))
        {
            throw ApiException.Invalid("training_file", "'training_file' is required: the id of a file uploaded with purpose 'fine-tune'");
        }

        await RequireFileAsync(store, caller, trainingFile, "training_file", cancellationToken).ConfigureAwait(false);
        var validationFile = JsonFields.String(body, "validation_file");
        if (validationFile is not null)
        {
            await RequireFileAsync(store, caller, validationFile, "validation_file", cancellationToken).ConfigureAwait(false);
        }

        var suffix = JsonFields.String(body, "suffix");
        if (suffix is not null && (suffix.Length > MaxSuffixLength || suffix.Contains(':', StringComparison.Ordinal) || suffix.Any(char.IsWhiteSpace)))
        {
            throw ApiException.Invalid("suffix", $"'suffix' must be at most {MaxSuffixLength} characters, without ':' or spaces (it becomes part of the model id)");
        }

        var seed = (int?)JsonFields.Integer(body, "seed", 0, int.MaxValue) ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var hyperparameters = new JsonObject { ["n_epochs"] = Auto, ["batch_size"] = Auto, ["learning_rate_multiplier"] = Auto };
        Merge(hyperparameters, body["hyperparameters"], "hyperparameters");
        switch (body["method"])
        {
            case null:
                break;
            case JsonObject method:
                var type = JsonFields.String(method, "type") ?? "supervised";
                if (type != "supervised")
                {
                    throw ApiException.Invalid("method.type", $"the method '{type}' is not supported here: local fine-tuning is 'supervised' only");
                }

                switch (method["supervised"])
                {
                    case null:
                        break;
                    case JsonObject supervised:
                        Merge(hyperparameters, supervised["hyperparameters"], "method.supervised.hyperparameters");
                        break;
                    default:
                        throw ApiException.Invalid("method.supervised", "'method.supervised' must be an object");
                }

                break;
            default:
                throw ApiException.Invalid("method", "'method' must be an object");
        }

        var parley = ReadParley(body["parley"], canFineTuneEncoder);
        var metadata = body["metadata"] switch
        {
            null => null,
            JsonObject o => o.DeepClone().AsObject(),
            _ => throw ApiException.Invalid("metadata", "'metadata' must be an object of strings"),
        };

        return new FineTuningJobObject
        {
            Id = FineTuningIds.New(FineTuningIds.Job),
            CreatedAt = store.Now,
            Hyperparameters = hyperparameters,
            Model = model,
            Status = FineTuningJobStatuses.ValidatingFiles,
            TrainingFile = trainingFile,
            ValidationFile = validationFile,
            UserProvidedSuffix = suffix,
            Seed = seed,
            Method = Supervised(hyperparameters.DeepClone().AsObject()),
            Metadata = metadata,
            Parley = parley,
        };
    }

    /// <summary>The method a job asks for in <c>parley.method</c>; <see cref="TrainingMethods.Auto"/> when it does not.</summary>
    public static string RequestedMethod(FineTuningJobObject job) =>
        job.Parley?["method"] is JsonValue v && v.TryGetValue(out string? method) ? method : TrainingMethods.Auto;

    /// <summary>Reads Parley's extension object, <c>{"method": …}</c>; every other key is a 400 that names it.</summary>
    private static JsonObject? ReadParley(JsonNode? node, bool canFineTuneEncoder)
    {
        switch (node)
        {
            case null:
                return null;
            case not JsonObject:
                throw ApiException.Invalid("parley", "'parley' must be an object, e.g. {\"method\": \"lora\"}");
        }

        var parley = node.AsObject();
        if (parley.Select(p => p.Key).FirstOrDefault(k => k != "method") is { } unknown)
        {
            throw ApiException.Invalid($"parley.{unknown}", $"'parley.{unknown}' is not a Parley fine-tuning setting; the only one is 'parley.method'");
        }

        var method = parley["method"] switch
        {
            null => TrainingMethods.Auto,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && TrainingMethods.All.Contains(v.GetValue<string>(), StringComparer.Ordinal) => v.GetValue<string>(),
            _ => throw ApiException.Invalid("parley.method", $"'parley.method' must be one of {string.Join(", ", TrainingMethods.All)}"),
        };
        if (TrainingMethods.FineTunesEncoder(method) && !canFineTuneEncoder)
        {
            throw ApiException.Invalid("parley.method", $"this server cannot fine-tune the encoder ('parley.method': '{method}'): it runs without Parley.Nlu.Torch; use '{TrainingMethods.Head}' or '{TrainingMethods.Auto}', or serve with the parley command");
        }

        return new JsonObject { ["method"] = method };
    }

    /// <summary>OpenAI's <c>method</c> object for supervised training with <paramref name="hyperparameters"/>.</summary>
    public static JsonObject Supervised(JsonObject hyperparameters) => new()
    {
        ["type"] = "supervised",
        ["supervised"] = new JsonObject { ["hyperparameters"] = hyperparameters },
    };

    /// <summary>The trainer's view of a job's stored hyperparameters (<c>"auto"</c> is null).</summary>
    public static FineTuningHyperparameters ReadHyperparameters(JsonObject hyperparameters, int seed)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        static double? Value(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
        return new FineTuningHyperparameters
        {
            Epochs = (int?)Value(hyperparameters["n_epochs"]),
            BatchSize = (int?)Value(hyperparameters["batch_size"]),
            LearningRateMultiplier = Value(hyperparameters["learning_rate_multiplier"]),
            Seed = seed,
        };
    }

    private static void Merge(JsonObject target, JsonNode? given, string path)
    {
        if (given is null)
        {
            return;
        }

        if (given is not JsonObject values)
        {
            throw ApiException.Invalid(path, $"'{path}' must be an object");
        }

        target["n_epochs"] = Read(values, "n_epochs", path, 1, MaxEpochs, integer: true) ?? target["n_epochs"]?.DeepClone();
        target["batch_size"] = Read(values, "batch_size", path, 1, MaxBatchSize, integer: true) ?? target["batch_size"]?.DeepClone();
        target["learning_rate_multiplier"] = Read(values, "learning_rate_multiplier", path, double.Epsilon, MaxLearningRateMultiplier, integer: false)
            ?? target["learning_rate_multiplier"]?.DeepClone();
    }

    private static JsonNode? Read(JsonObject values, string name, string path, double min, double max, bool integer)
    {
        var param = $"{path}.{name}";
        switch (values[name])
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == Auto:
                return Auto;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double number)
                && number >= min && number <= max && (!integer || number == Math.Floor(number)):
                return integer ? JsonValue.Create((int)number) : JsonValue.Create(number);
            default:
                throw ApiException.Invalid(param, integer
                    ? $"'{param}' must be \"auto\" or an integer from {min} to {max}"
                    : $"'{param}' must be \"auto\" or a number above 0 and at most {max}");
        }
    }

    // A file of another key's is "does not exist" too: its existence is not told.
    private static async Task RequireFileAsync(FineTuningStore store, ApiCaller caller, string id, string param, CancellationToken cancellationToken)
    {
        if (await store.GetFileAsync(id, caller, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ApiException(400, $"The file '{id}' given as '{param}' does not exist: upload it first with POST /v1/files (purpose 'fine-tune').", param, "file_not_found");
        }
    }
}
