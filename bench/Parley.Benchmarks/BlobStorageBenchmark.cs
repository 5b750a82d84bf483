using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Parley.Benchmarks;

/// <summary>
/// Where uploaded fine-tuning files could live when several servers share one PostgreSQL database: on the (shared)
/// file system, written as the server writes an upload (a temporary file, flushed to disk, moved into place) and read
/// back whole as a job reads it; or as a <c>bytea</c> row in PostgreSQL, inserted and selected back. Same payload both
/// ways; the median of the repetitions.
/// </summary>
internal static class BlobStorageBenchmark
{
    public const string Usage = "blobs --postgres CONNECTION [--size-mb 10] [--repetitions 7] [--folder PATH]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? postgres = null, folder = null;
        int sizeMb = 10, repetitions = 7;
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--size-mb": sizeMb = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repetitions": repetitions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--folder": folder = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; usage: {Usage}"); return 2;
            }
        }

        if (postgres is null)
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        var payload = new byte[sizeMb * 1024 * 1024];
        new Random(7).NextBytes(payload);
        folder ??= Directory.CreateTempSubdirectory("parley-blobs-").FullName;
        var database = "parley_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(postgres, $"CREATE DATABASE \"{database}\";");
        var connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        try
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            await using (var create = source.CreateCommand("CREATE TABLE blobs (id text PRIMARY KEY, content bytea NOT NULL);"))
            {
                await create.ExecuteNonQueryAsync();
            }

            var fileWrite = new List<double>();
            var fileRead = new List<double>();
            var pgWrite = new List<double>();
            var pgRead = new List<double>();
            for (var round = 0; round <= repetitions; round++)
            {
                var id = "file-" + round.ToString(CultureInfo.InvariantCulture);
                var (w, r) = await FileSystemAsync(folder, id, payload);
                var (pw, pr) = await PostgresAsync(source, id, payload);
                if (round > 0)
                {
                    // Round 0 warms up (JIT, pool, caches).
                    fileWrite.Add(w);
                    fileRead.Add(r);
                    pgWrite.Add(pw);
                    pgRead.Add(pr);
                }
            }

            Console.WriteLine($"payload {sizeMb} MiB, {repetitions} repetitions (median ms), folder {folder}");
            Console.WriteLine("| store | upload (write) | read whole | total |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            Console.WriteLine(Row("file system (fsync + rename)", fileWrite, fileRead));
            Console.WriteLine(Row("PostgreSQL bytea", pgWrite, pgRead));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE);");
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task<(double Write, double Read)> FileSystemAsync(string folder, string id, byte[] payload)
    {
        var watch = Stopwatch.StartNew();
        var temporary = Path.Combine(folder, $".upload-{id}.tmp");
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
        {
            for (var offset = 0; offset < payload.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(payload.AsMemory(offset, Math.Min(64 * 1024, payload.Length - offset)));
            }

            stream.Flush(flushToDisk: true);
        }

        var target = Path.Combine(folder, id + ".jsonl");
        File.Move(temporary, target, overwrite: true);
        var write = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var read = await File.ReadAllBytesAsync(target);
        Check(read, payload);
        return (write, watch.Elapsed.TotalMilliseconds);
    }

    private static async Task<(double Write, double Read)> PostgresAsync(NpgsqlDataSource source, string id, byte[] payload)
    {
        var watch = Stopwatch.StartNew();
        await using (var insert = source.CreateCommand("INSERT INTO blobs (id, content) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET content = excluded.content;"))
        {
            insert.Parameters.AddWithValue(id);
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = payload });
            await insert.ExecuteNonQueryAsync();
        }

        var write = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await using var select = source.CreateCommand("SELECT content FROM blobs WHERE id = $1;");
        select.Parameters.AddWithValue(id);
        var read = (byte[])(await select.ExecuteScalarAsync())!;
        Check(read, payload);
        return (write, watch.Elapsed.TotalMilliseconds);
    }

    private static void Check(byte[] read, byte[] payload)
    {
        if (!read.AsSpan().SequenceEqual(payload))
        {
            throw new InvalidOperationException("the blob read back differs from the one written");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Row(string name, List<double> write, List<double> read) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(write):F1} | {Median(read):F1} | {Median(write.Zip(read, (w, r) => w + r).ToList()):F1} |");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
