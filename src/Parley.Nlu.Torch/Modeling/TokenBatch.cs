using static TorchSharp.torch;

namespace Parley.Nlu.Torch.Modeling;

/// <summary>Pads token id sequences into an id tensor and an attention mask, both <c>[batch, longest]</c> int64.</summary>
internal static class TokenBatch
{
    public static (Tensor Ids, Tensor Mask) Create(IReadOnlyList<int[]> sequences, int padId)
    {
        var length = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * length];
        var mask = new long[sequences.Count * length];
        for (var row = 0; row < sequences.Count; row++)
        {
            var offset = row * length;
            Array.Fill(ids, padId, offset, length);
            for (var j = 0; j < sequences[row].Length; j++)
            {
                ids[offset + j] = sequences[row][j];
                mask[offset + j] = 1;
            }
        }

        long[] shape = [sequences.Count, length];
        return (tensor(ids, shape), tensor(mask, shape));
    }
}
