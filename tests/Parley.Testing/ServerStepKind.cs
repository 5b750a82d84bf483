namespace Parley.Testing;

internal enum ServerStepKind
{
    Echo,
    Reply,
    ToolCall,
    Status,
    Cut,
    Delay,
    RawStatus,
    EchoKeyError,
    Stall,
    Endless,
}
