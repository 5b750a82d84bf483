using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Parley.Nlu.Intents;
using Parley.Nlu.Torch.Modeling;
using Parley.Nlu.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Parley.Nlu.Torch.Training;

/// <summary>
/// Fine-tunes all-MiniLM-L6-v2 on labelled utterances: <see cref="EncoderTrainingMethod.Full"/> (encoder and a softmax
/// head), <see cref="EncoderTrainingMethod.Lora"/> (adapters and the head) or <see cref="EncoderTrainingMethod.Contrastive"/>
/// (pairs and a cosine-similarity loss). AdamW with separate learning rates for the encoder (or adapters) and the head,
/// linear warmup and decay, gradient clipping, dropout, length-grouped batches, early stopping on validation accuracy
/// after a minimum number of epochs, and checkpoints to resume from.
/// </summary>
/// <remarks>
/// Every random choice is seeded from <see cref="EncoderTrainerOptions.Seed"/> and the epoch or step, so a run resumed
/// from a checkpoint takes the same batches and dropout masks as one that was never stopped.
/// </remarks>
public static class EncoderTrainer
{
    private const string HeadWeight = "head.weight";
    private const string HeadBias = "head.bias";

    /// <summary>Fine-tunes the encoder (synchronously, on the calling thread).</summary>
    /// <param name="training">The training utterances.</param>
    /// <param name="validation">Validation utterances for early stopping, or null to hold out <see cref="EncoderTrainerOptions.ValidationFraction"/> of the training data.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Checked between steps; a checkpoint already written stays for <c>--resume</c>.</param>
    /// <exception cref="ArgumentException">Fewer than two intents, or no layer matches the LoRA targets.</exception>
    /// <exception cref="InvalidDataException">Resuming from a missing, damaged or foreign checkpoint.</exception>
    public static EncoderTrainingResult Train(
        IReadOnlyList<LabeledExample> training,
        IReadOnlyList<LabeledExample>? validation = null,
        EncoderTrainerOptions? options = null,
        IProgress<EncoderTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        options = (options ?? new EncoderTrainerOptions()).Copy();
        options.Validate();
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }

        if (options.Resume && !File.Exists(TrainingCheckpoint.PathIn(options.CheckpointDirectory!)))
        {
            throw new InvalidDataException($"there is no checkpoint to resume from in {options.CheckpointDirectory}: start without --resume");
        }

        (training, validation) = Split(training, validation, options);
        var labels = training.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2)
        {
            throw new ArgumentException($"fine-tuning needs at least two intents; the training data has {labels.Length}", nameof(training));
        }

        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var encoder = TorchSentenceEncoder.Load(dropout: options.Dropout, maxTokens: options.MaxTokens);
        try
        {
            using var run = new Run(encoder, training, validation, labels, labelIndex, options, progress);
            return run.Execute(cancellationToken);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>Whether full or contrastive fine-tuning leaves the tensor named <paramref name="name"/> as it is.</summary>
    private static bool IsFrozen(string name, EncoderTrainerOptions options, int layers)
    {
        if (options.FrozenLayers == 0)
        {
            return name == MiniLmEncoder.WordEmbeddingsName && !options.TrainWordEmbeddings;
        }

        // Everything below the lowest layer that trains stays: the embeddings and the bottom layers.
        return !Enumerable.Range(options.FrozenLayers, layers - options.FrozenLayers)
            .Any(i => name.StartsWith($"{MiniLmEncoder.LayerPrefix}{i}.", StringComparison.Ordinal));
    }

    private static (IReadOnlyList<LabeledExample>, IReadOnlyList<LabeledExample>) Split(
        IReadOnlyList<LabeledExample> training, IReadOnlyList<LabeledExample>? validation, EncoderTrainerOptions options)
    {
        if (validation is not null || options.ValidationFraction == 0)
        {
            return (training, validation ?? []);
        }

        var (train, held) = StratifiedHoldout.Split(training.Select(e => e.Intent).ToArray(), options.ValidationFraction, options.Seed);
        return (train.Select(i => training[i]).ToArray(), held.Select(i => training[i]).ToArray());
    }

    private sealed class Run : IDisposable
    {
        private readonly TorchSentenceEncoder _encoder;
        private readonly IReadOnlyList<LabeledExample> _training;
        private readonly IReadOnlyList<LabeledExample> _validation;
        private readonly IReadOnlyList<LabeledExample> _validationAll;
        private readonly string[] _labels;
        private readonly int[] _targets;
        private readonly int[][] _ids;
        private readonly EncoderTrainerOptions _options;
        private readonly IProgress<EncoderTrainingProgress>? _progress;
        private readonly Linear? _head;
        private readonly List<(string Name, Tensor Tensor)> _trainable;
        private readonly AdamW _optimizer;
        private readonly long _total;

        /// <summary>With <see cref="EncoderTrainerOptions.FrozenLayers"/>: each training utterance's states after the frozen layers, [length, hidden].</summary>
        private readonly Tensor[]? _lower;

        public Run(
            TorchSentenceEncoder encoder,
            IReadOnlyList<LabeledExample> training,
            IReadOnlyList<LabeledExample> validation,
            string[] labels,
            Dictionary<string, int> labelIndex,
            EncoderTrainerOptions options,
            IProgress<EncoderTrainingProgress>? progress)
        {
            _encoder = encoder;
            _training = training;
            // Validation items of intents the training data lacks (e.g. out-of-scope ones) cannot be scored here; the
            // head trainer's calibration still gets them.
            _validationAll = validation;
            _validation = validation.Where(e => labelIndex.ContainsKey(e.Intent)).ToArray();
            _labels = labels;
            _targets = training.Select(e => labelIndex[e.Intent]).ToArray();
            _ids = training.Select(e => encoder.Tokenizer.EncodeToIds(e.Text)).ToArray();
            _options = options;
            _progress = progress;
            var module = encoder.Module;
            manual_seed(options.Seed);
            List<(string, Tensor)> encoderTensors;
            if (options.Method == EncoderTrainingMethod.Lora)
            {
                foreach (var parameter in module.parameters())
                {
                    parameter.requires_grad = false;
                }

                encoder.AddAdapters(options.LoraTargets, options.LoraRank, options.LoraAlpha, options.Seed);

                encoderTensors = module.AdapterParameters().Select(p => (p.Name, (Tensor)p.Parameter)).ToList();
            }
            else
            {
                encoderTensors = module.NamedTensors().ToList();
                foreach (var frozen in encoderTensors.Where(t => IsFrozen(t.Item1, options, module.Layers)).ToArray())
                {
                    frozen.Item2.requires_grad = false;
                    encoderTensors.Remove(frozen);
                }
            }

            var groups = new List<AdamW.ParamGroup>
            {
                new(encoderTensors.Select(t => (Parameter)t.Item2), options.Method == EncoderTrainingMethod.Lora ? options.AdapterLearningRate : options.EncoderLearningRate, weight_decay: options.WeightDecay),
            };
            _trainable = encoderTensors;
            if (options.Method != EncoderTrainingMethod.Contrastive)
            {
                _head = nn.Linear(module.Dimensions, labels.Length);
                _trainable.Add((HeadWeight, _head.weight!));
                _trainable.Add((HeadBias, _head.bias!));
                groups.Add(new AdamW.ParamGroup([_head.weight!, _head.bias!], options.HeadLearningRate, weight_decay: options.WeightDecay));
            }

            _optimizer = optim.AdamW(groups);
            _total = module.parameters().Sum(p => p.numel()) + (_head is null ? 0 : _head.parameters().Sum(p => p.numel()));
            _lower = options.FrozenLayers > 0 ? LowerStates() : null;
        }

        public EncoderTrainingResult Execute(CancellationToken cancellationToken)
        {
            var unitsPerEpoch = _options.Method == EncoderTrainingMethod.Contrastive
                ? ContrastivePairs.Create(_targets, _options.PairsPerExample, new Random(_options.Seed)).Length
                : _training.Count;
            var stepsPerEpoch = (unitsPerEpoch + _options.BatchSize - 1) / _options.BatchSize;
            var schedule = LearningRateSchedule.Create(stepsPerEpoch * _options.Epochs, _options.WarmupFraction);
            var state = new TrainingCheckpoint { Fingerprint = Fingerprint() };
            var directory = _options.CheckpointDirectory;
            if (_options.Resume)
            {
                state = TrainingCheckpoint.Load(directory!, state.Fingerprint, _trainable, _optimizer);
            }
            else if (directory is not null)
            {
                Directory.CreateDirectory(directory);
                File.Delete(TrainingCheckpoint.PathIn(directory));
                File.Delete(Path.Combine(directory, TrainingCheckpoint.BestFileName));
            }

            var resumedAt = state.Step;
            var best = state.BestEpoch > 0 ? LoadBest(directory) : null;
            var clock = Stopwatch.StartNew();
            var stepsThisRun = 0;
            var stopped = false;
            var parameters = _trainable.Select(t => (Parameter)t.Tensor).ToArray();
            for (var epoch = state.Epoch; epoch <= _options.Epochs && !stopped; epoch++)
            {
                state.Epoch = epoch;
                var units = Units(epoch);
                var batches = LengthGroupedBatches.Create(units.Lengths, _options.BatchSize, new Random(HashCode.Combine(_options.Seed, epoch)));
                _encoder.Module.train();
                _head?.train();
                for (var b = state.StepInEpoch; b < batches.Count; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    manual_seed(((long)_options.Seed * 1_000_003) + state.Step);
                    var factor = schedule.Factor(state.Step);
                    foreach (var group in _optimizer.ParamGroups)
                    {
                        group.LearningRate = group.InitialLearningRate * factor;
                    }

                    double loss;
                    using (NewDisposeScope())
                    {
                        _optimizer.zero_grad();
                        var value = units.Loss(batches[b]);
                        value.backward();
                        nn.utils.clip_grad_norm_(parameters, _options.MaxGradientNorm);
                        _optimizer.step();
                        loss = value.item<float>();
                    }

                    state.Step++;
                    state.StepInEpoch = b + 1;
                    state.EpochLossSum += loss;
                    state.EpochLossCount++;
                    stepsThisRun++;
                    var remaining = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / stepsThisRun * (schedule.TotalSteps - state.Step));
                    _progress?.Report(new EncoderTrainingProgress(state.Step, schedule.TotalSteps, epoch, state.EpochLossSum / state.EpochLossCount, null, clock.Elapsed, remaining));
                    if (directory is not null && _options.CheckpointSteps > 0 && state.StepInEpoch % _options.CheckpointSteps == 0 && b + 1 < batches.Count)
                    {
                        state.Save(directory, _trainable, _optimizer);
                    }
                }

                var accuracy = ValidationAccuracy();
                var trainLoss = state.EpochLossSum / Math.Max(1, state.EpochLossCount);
                state.History.Add(new EncoderEpoch(epoch, trainLoss, accuracy, state.Step));
                if (double.IsNaN(accuracy) || accuracy > state.BestAccuracy || (accuracy == state.BestAccuracy && trainLoss < state.BestLoss))
                {
                    state.BestEpoch = epoch;
                    state.BestAccuracy = double.IsNaN(accuracy) ? double.NegativeInfinity : accuracy;
                    state.BestLoss = trainLoss;
                    state.EpochsWithoutBetter = 0;
                    best = Snapshot();
                    if (directory is not null)
                    {
                        TrainingCheckpoint.SaveTensors(Path.Combine(directory, TrainingCheckpoint.BestFileName), _trainable);
                    }
                }
                else
                {
                    state.EpochsWithoutBetter++;
                }

                stopped = _options.Patience > 0 && epoch >= _options.MinEpochs && state.EpochsWithoutBetter >= _options.Patience;
                _progress?.Report(new EncoderTrainingProgress(state.Step, schedule.TotalSteps, epoch, trainLoss, accuracy, clock.Elapsed,
                    stopped ? TimeSpan.Zero : TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / Math.Max(1, stepsThisRun) * (schedule.TotalSteps - state.Step))));
                state.Epoch = epoch + 1;
                state.StepInEpoch = 0;
                state.EpochLossSum = 0;
                state.EpochLossCount = 0;
                if (directory is not null)
                {
                    state.Save(directory, _trainable, _optimizer);
                }
            }

            if (best is not null)
            {
                Restore(best);
            }

            _encoder.Module.eval();
            return new EncoderTrainingResult
            {
                Encoder = _encoder,
                Options = _options,
                History = state.History,
                BestEpoch = state.BestEpoch,
                Steps = state.Step,
                ResumedAtStep = resumedAt,
                TrainableParameters = _trainable.Sum(t => t.Tensor.numel()),
                TotalParameters = _total,
                Training = _training,
                Validation = _validationAll,
            };
        }

        public void Dispose()
        {
            _optimizer.Dispose();
            _head?.Dispose();
            foreach (var states in _lower ?? [])
            {
                states.Dispose();
            }

        }

        private (IReadOnlyList<int> Lengths, Func<int[], Tensor> Loss) Units(int epoch)
        {
            if (_options.Method != EncoderTrainingMethod.Contrastive)
            {
                return (_ids.Select(i => i.Length).ToArray(), batch =>
                {
                    var logits = _head!.forward(Embed(batch));
                    return nn.functional.cross_entropy(logits, tensor(batch.Select(i => (long)_targets[i]).ToArray()));
                });
            }

            var pairs = ContrastivePairs.Create(_targets, _options.PairsPerExample, new Random(HashCode.Combine(_options.Seed, epoch, 17)));
            return (pairs.Select(p => _ids[p.Left].Length + _ids[p.Right].Length).ToArray(), batch =>
            {
                var embeddings = Embed([.. batch.Select(i => pairs[i].Left), .. batch.Select(i => pairs[i].Right)]);
                var left = embeddings.narrow(0, 0, batch.Length);
                var right = embeddings.narrow(0, batch.Length, batch.Length);
                var similarity = (left * right).sum(1);
                return nn.functional.mse_loss(similarity, tensor(batch.Select(i => pairs[i].Target).ToArray()));
            });
        }

        /// <summary>The sentence embeddings of training utterances, by index, as the training sees them; [count, hidden].</summary>
        private Tensor Embed(int[] examples)
        {
            var (ids, mask) = TokenBatch.Create(examples.Select(i => _ids[i]).ToArray(), _encoder.Tokenizer.PadId);
            if (_lower is null)
            {
                return _encoder.Module.Embed(ids, mask);
            }

            var states = nn.utils.rnn.pad_sequence(examples.Select(i => _lower[i]), batch_first: true);
            return _encoder.Module.EmbedFrom(states, mask, _options.FrozenLayers);
        }

        /// <summary>
        /// Runs every training utterance through the frozen layers once (no dropout: they do not train), so that steps
        /// start above them instead of recomputing the same states every epoch.
        /// </summary>
        private Tensor[] LowerStates()
        {
            var module = _encoder.Module;
            var result = new Tensor[_ids.Length];
            module.eval();
            using var _ = no_grad();
            foreach (var chunk in Enumerable.Range(0, _ids.Length).OrderBy(i => _ids[i].Length).Chunk(64))
            {
                using var scope = NewDisposeScope();
                var (ids, mask) = TokenBatch.Create(chunk.Select(i => _ids[i]).ToArray(), _encoder.Tokenizer.PadId);
                var states = module.Lower(ids, mask, _options.FrozenLayers);
                for (var row = 0; row < chunk.Length; row++)
                {
                    result[chunk[row]] = states[row].narrow(0, 0, _ids[chunk[row]].Length).clone().DetachFromDisposeScope();
                }
            }

            return result;
        }

        private double ValidationAccuracy()
        {
            if (_validation.Count == 0)
            {
                return double.NaN;
            }

            var embedded = _encoder.Encode(_validation.Select(e => e.Text).ToArray());
            var expected = _validation.Select(e => Array.IndexOf(_labels, e.Intent)).ToArray();
            int[] predicted;
            using (no_grad())
            using (NewDisposeScope())
            {
                _head?.eval();
                var features = torch.tensor(embedded.SelectMany(v => v).ToArray()).reshape(embedded.Length, _encoder.Dimensions);
                var scores = _head is not null ? _head.forward(features) : features.matmul(Centroids().t());
                predicted = scores.argmax(1).data<long>().ToArray().Select(p => (int)p).ToArray();
                _head?.train();
            }

            return expected.Zip(predicted).Count(x => x.First == x.Second) / (double)expected.Length;
        }

        /// <summary>The normalised mean training embedding of each intent, [labels, dimensions].</summary>
        private Tensor Centroids()
        {
            var embedded = _encoder.Encode(_training.Select(e => e.Text).ToArray());
            var sums = new float[_labels.Length, _encoder.Dimensions];
            for (var i = 0; i < embedded.Length; i++)
            {
                for (var d = 0; d < _encoder.Dimensions; d++)
                {
                    sums[_targets[i], d] += embedded[i][d];
                }
            }

            return nn.functional.normalize(torch.tensor(sums), p: 2, dim: 1);
        }

        private Dictionary<string, float[]> Snapshot() =>
            _trainable.ToDictionary(t => t.Name, t => t.Tensor.detach().contiguous().data<float>().ToArray(), StringComparer.Ordinal);

        private void Restore(Dictionary<string, float[]> snapshot)
        {
            using var _ = no_grad();
            foreach (var (name, tensor) in _trainable)
            {
                tensor.copy_(torch.tensor(snapshot[name]).reshape(tensor.shape));
            }
        }

        private Dictionary<string, float[]>? LoadBest(string? directory)
        {
            var path = directory is null ? null : Path.Combine(directory, TrainingCheckpoint.BestFileName);
            if (path is null || !File.Exists(path))
            {
                return null;
            }

            var current = Snapshot();
            TrainingCheckpoint.LoadTensors(path, _trainable);
            var best = Snapshot();
            Restore(current);
            return best;
        }

        private string Fingerprint()
        {
            var o = _options;
            var text = new StringBuilder()
                .AppendJoin('\u001f', o.Method, o.Epochs, o.BatchSize, o.EncoderLearningRate, o.AdapterLearningRate, o.HeadLearningRate, o.WeightDecay,
                    o.WarmupFraction, o.MaxGradientNorm, o.Dropout, o.TrainWordEmbeddings, o.FrozenLayers, o.MaxTokens, o.LoraRank, o.LoraAlpha, string.Join(',', o.LoraTargets), o.PairsPerExample, o.Seed)
                .Append('\u001e');
            foreach (var example in _training)
            {
                text.Append(example.Intent).Append('\u001f').Append(example.Text).Append('\u001e');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }
}
