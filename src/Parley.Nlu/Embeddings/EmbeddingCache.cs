using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Embeddings kept on disk, keyed by the SHA-256 of the model id and the text, so that the same texts are never
/// embedded twice (bot start-up, re-training). One file per model: a header, then fixed-size records appended as
/// new texts are embedded.
/// </summary>
/// <remarks>
/// A cache never fails its caller: a file that is damaged or written by another model is set aside and started
/// afresh, a record cut short by a crash is ignored, and a write that cannot get the file (another process holds
/// it) is skipped. Thread-safe.
/// </remarks>
public sealed class EmbeddingCache
{
    private const string Magic = "PARLEYEMB1";
    private const int HashSize = 32;

    private readonly Dictionary<Key, float[]> _vectors = [];
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly string _modelId;
    private readonly int _dimensions;
    private long _validLength;

    private EmbeddingCache(string path, string modelId, int dimensions)
    {
        _path = path;
        _modelId = modelId;
        _dimensions = dimensions;
    }

    /// <summary>The cache file.</summary>
    public string Path => _path;

    /// <summary>The number of cached embeddings.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _vectors.Count;
            }
        }
    }

    private int RecordSize => HashSize + (_dimensions * sizeof(float));

    /// <summary>Opens (or starts) the cache file for <paramref name="modelId"/> in <paramref name="folder"/>.</summary>
    /// <param name="folder">The cache folder; created when missing.</param>
    /// <param name="modelId">The embedding model's id.</param>
    /// <param name="dimensions">The number of dimensions of the model's embeddings.</param>
    public static EmbeddingCache Open(string folder, string modelId, int dimensions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var safeName = string.Concat(modelId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        var cache = new EmbeddingCache(System.IO.Path.Combine(folder, $"embeddings-{safeName}.bin"), modelId, dimensions);
        cache.Load();
        return cache;
    }

    /// <summary>Returns the cached embedding of <paramref name="text"/>, if there is one.</summary>
    public bool TryGet(string text, out float[] vector)
    {
        var key = KeyOf(text);
        lock (_lock)
        {
            return _vectors.TryGetValue(key, out vector!);
        }
    }

    /// <summary>Adds embeddings to the cache and appends them to its file.</summary>
    public void AddRange(IEnumerable<(string Text, ReadOnlyMemory<float> Vector)> items)
    {
        var buffer = new MemoryStream();
        lock (_lock)
        {
            foreach (var (text, vector) in items)
            {
                if (vector.Length != _dimensions)
                {
                    throw new ArgumentException($"expected {_dimensions} dimensions, got {vector.Length}", nameof(items));
                }

                var key = KeyOf(text);
                if (_vectors.TryAdd(key, vector.ToArray()))
                {
                    buffer.Write(key.Bytes);
                    buffer.Write(MemoryMarshal.AsBytes(vector.Span));
                }
            }

            if (buffer.Length > 0)
            {
                Append(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
        }
    }

    private void Load()
    {
        try
        {
            if (!File.Exists(_path))
            {
                return;
            }

            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var header = Header();
            var actual = new byte[header.Length];
            if (stream.Length < header.Length || stream.ReadAtLeast(actual, header.Length, throwOnEndOfStream: false) != header.Length || !actual.AsSpan().SequenceEqual(header))
            {
                SetAside();
                return;
            }

            var record = new byte[RecordSize];
            _validLength = header.Length;
            while (stream.ReadAtLeast(record, record.Length, throwOnEndOfStream: false) == record.Length)
            {
                var vector = MemoryMarshal.Cast<byte, float>(record.AsSpan(HashSize)).ToArray();
                _vectors[new Key(record.AsSpan(0, HashSize).ToArray())] = vector;
                _validLength += record.Length;
            }
        }
        catch (IOException)
        {
            _vectors.Clear();
            _validLength = 0;
        }
        catch (UnauthorizedAccessException)
        {
            _vectors.Clear();
            _validLength = 0;
        }
    }

    private void Append(ReadOnlySpan<byte> records)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            using var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (stream.Length == 0)
            {
                stream.Write(Header());
                _validLength = stream.Length;
            }
            else if (_validLength == 0 || stream.Length < _validLength)
            {
                // Another process started or replaced the file since it was read: leave it to that process.
                return;
            }

            // Drop a record cut short by a crash before appending, so records stay aligned.
            stream.SetLength(_validLength + ((stream.Length - _validLength) / RecordSize * RecordSize));
            stream.Seek(0, SeekOrigin.End);
            stream.Write(records);
            stream.Flush(flushToDisk: false);
            _validLength = stream.Length;
        }
        catch (IOException)
        {
            // Another process holds the file, or the disk is full: the embeddings stay cached in memory only.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void SetAside()
    {
        try
        {
            File.Move(_path, _path + ".bad", overwrite: true);
        }
        catch (IOException)
        {
        }
    }

    private byte[] Header()
    {
        var model = Encoding.UTF8.GetBytes(_modelId);
        var header = new byte[Magic.Length + 4 + 4 + model.Length];
        Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length), _dimensions);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length + 4), model.Length);
        model.CopyTo(header, Magic.Length + 8);
        return header;
    }

    private Key KeyOf(string text) => new(SHA256.HashData(Encoding.UTF8.GetBytes(_modelId + "\n" + text)));

    private readonly struct Key(byte[] bytes) : IEquatable<Key>
    {
        public byte[] Bytes { get; } = bytes;

        public bool Equals(Key other) => Bytes.AsSpan().SequenceEqual(other.Bytes);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes);
    }
}
