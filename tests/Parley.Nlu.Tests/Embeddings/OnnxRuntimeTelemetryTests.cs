using System.Runtime.InteropServices;
using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Tests.Embeddings;

public sealed class OnnxRuntimeTelemetryTests
{
    [Fact]
    public async Task Encoder_AfterEncoding_LeftNoTelemetryTraceAndOptedTheProcessOut()
    {
        using var generator = new MiniLmEmbeddingGenerator(intraOpThreads: 1);

        await generator.GenerateAsync(["is anyone listening?"]);

        // ONNX Runtime 1.30 with telemetry on writes this log for every process that initialises it.
        var log = $"mat-debug-{Environment.ProcessId}.log";
        Assert.False(File.Exists(Path.Combine("/tmp", log)), $"/tmp/{log} was written: ONNX Runtime's telemetry is on");
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), log)), $"{log} was written: ONNX Runtime's telemetry is on");
        var preset = Environment.GetEnvironmentVariable("ORT_DISABLE_TELEMETRY");
        Assert.Equal(preset ?? "1", Marshal.PtrToStringUTF8(GetEnv("ORT_DISABLE_TELEMETRY")));
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
