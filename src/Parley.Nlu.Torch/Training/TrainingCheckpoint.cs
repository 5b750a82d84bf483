using Parley.Nlu.Torch.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Parley.Nlu.Torch.Training;

/// <summary>
/// A fine-tuning run's state on disk: the step, the early-stopping record, the trainable tensors and the optimizer's
/// state (AdamW moments and step counts), so that a killed run continues where it was. <c>checkpoint.bin</c> is
/// rewritten atomically; <c>best.bin</c> holds the trainable tensors of the best epoch so far.
/// </summary>
internal sealed class TrainingCheckpoint
{
    public const string FileName = "checkpoint.bin";
    public const string BestFileName = "best.bin";
    private const string Magic = "parley-encoder-checkpoint";
    private const int Version = 1;

    public required string Fingerprint { get; init; }

    public int Step { get; set; }

    public int Epoch { get; set; } = 1;

    public int StepInEpoch { get; set; }

    public double EpochLossSum { get; set; }

    public int EpochLossCount { get; set; }

    public int BestEpoch { get; set; }

    public double BestAccuracy { get; set; } = double.NegativeInfinity;

    public double BestLoss { get; set; } = double.PositiveInfinity;

    public int EpochsWithoutBetter { get; set; }

    public List<EncoderEpoch> History { get; } = [];

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public void Save(string directory, IReadOnlyList<(string Name, Tensor Tensor)> tensors, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        BinaryFile.WriteAtomically(PathIn(directory), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(Fingerprint);
            writer.Write(Step);
            writer.Write(Epoch);
            writer.Write(StepInEpoch);
            writer.Write(EpochLossSum);
            writer.Write(EpochLossCount);
            writer.Write(BestEpoch);
            writer.Write(BestAccuracy);
            writer.Write(BestLoss);
            writer.Write(EpochsWithoutBetter);
            writer.Write(History.Count);
            foreach (var epoch in History)
            {
                writer.Write(epoch.Epoch);
                writer.Write(epoch.TrainLoss);
                writer.Write(epoch.ValidationAccuracy);
                writer.Write(epoch.Steps);
            }

            WriteTensors(writer, tensors);
            optimizer.save_state_dict(writer);
        });
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/> into the tensors and optimizer given.</summary>
    /// <exception cref="InvalidDataException">There is no checkpoint, it is damaged, or it was written for other data or settings.</exception>
    public static TrainingCheckpoint Load(string directory, string fingerprint, IReadOnlyList<(string Name, Tensor Tensor)> tensors, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"there is no checkpoint to resume from in {directory}: start without --resume");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != Version)
            {
                throw new InvalidDataException($"{path} is not a Parley encoder checkpoint of this version");
            }

            var saved = reader.ReadString();
            if (saved != fingerprint)
            {
                throw new InvalidDataException($"{path} was written for other data or training settings; resume with the same data and options, or start afresh without --resume");
            }

            var checkpoint = new TrainingCheckpoint
            {
                Fingerprint = saved,
                Step = reader.ReadInt32(),
                Epoch = reader.ReadInt32(),
                StepInEpoch = reader.ReadInt32(),
                EpochLossSum = reader.ReadDouble(),
                EpochLossCount = reader.ReadInt32(),
                BestEpoch = reader.ReadInt32(),
                BestAccuracy = reader.ReadDouble(),
                BestLoss = reader.ReadDouble(),
                EpochsWithoutBetter = reader.ReadInt32(),
            };
            var epochs = reader.ReadInt32();
            for (var i = 0; i < epochs; i++)
            {
                checkpoint.History.Add(new EncoderEpoch(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32()));
            }

            ReadTensors(reader, tensors, path);
            optimizer.load_state_dict(reader);
            return checkpoint;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path} is truncated; start afresh without --resume", e);
        }
    }

    public static void SaveTensors(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors) =>
        BinaryFile.WriteAtomically(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            WriteTensors(writer, tensors);
        });

    public static void LoadTensors(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        ReadTensors(reader, tensors, path);
    }

    internal static void WriteTensors(BinaryWriter writer, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            writer.Write((int)tensor.dim());
            foreach (var size in tensor.shape)
            {
                writer.Write(size);
            }

            using var values = tensor.detach().contiguous();
            var data = values.data<float>().ToArray();
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        }
    }

    internal static void ReadTensors(BinaryReader reader, IReadOnlyList<(string Name, Tensor Tensor)> tensors, string path)
    {
        var count = reader.ReadInt32();
        if (count != tensors.Count)
        {
            throw new InvalidDataException($"{path} holds {count} tensors; {tensors.Count} were expected");
        }

        using var _ = no_grad();
        foreach (var (name, tensor) in tensors)
        {
            var saved = reader.ReadString();
            var shape = new long[reader.ReadInt32()];
            for (var i = 0; i < shape.Length; i++)
            {
                shape[i] = reader.ReadInt64();
            }

            if (saved != name || !shape.SequenceEqual(tensor.shape))
            {
                throw new InvalidDataException($"{path} holds '{saved}' [{string.Join(", ", shape)}] where '{name}' [{string.Join(", ", tensor.shape)}] was expected");
            }

            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            tensor.copy_(torch.tensor(data).reshape(shape));
        }
    }
}
