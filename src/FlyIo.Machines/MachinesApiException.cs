using System;

namespace FlyIo.Machines;

/// <summary>
/// A call to one of Fly's APIs that failed (the Machines API, or api.fly.io's releases and logs): the HTTP status,
/// Fly's error message and the fly-request-id to quote.
/// </summary>
public sealed class MachinesApiException : Exception
{
    /// <param name="api">How the message names the API ("The Machines API" when null).</param>
    public MachinesApiException(string operation, int statusCode, string? apiMessage, string? requestId, Exception? inner = null, string? api = null)
        : base(Describe(api ?? MachinesApiName, operation, statusCode, apiMessage, requestId), inner)
    {
        Api = api ?? MachinesApiName;
        Operation = operation;
        StatusCode = statusCode;
        ApiMessage = apiMessage;
        RequestId = requestId;
    }

    /// <summary>How messages name the Machines API.</summary>
    public const string MachinesApiName = "The Machines API";

    /// <summary>How the message names the API: "The Machines API", or "The Fly API at https://api.fly.io".</summary>
    public string Api { get; }

    public string Operation { get; }

    /// <summary>The HTTP status, or 0 when no response came (connection refused, reset, timeout).</summary>
    public int StatusCode { get; }

    public string? ApiMessage { get; }

    public string? RequestId { get; }

    private static string Describe(string api, string operation, int status, string? message, string? requestId)
    {
        var what = status == 0 ? "got no response" : $"returned {status}";
        var detail = string.IsNullOrWhiteSpace(message) ? "" : $": {message}";
        var id = string.IsNullOrWhiteSpace(requestId) ? "" : $" (fly-request-id {requestId})";
        return $"{api} {what} for {operation}{detail}{id}.";
    }
}

/// <summary>A request that failed after it may have reached Fly (5xx, reset, timeout): repeating it could apply it twice.</summary>
public sealed class AmbiguousFailureException : Exception
{
    public AmbiguousFailureException(MachinesApiException inner) : base(inner.Message, inner)
    {
        Inner = inner;
    }

    public MachinesApiException Inner { get; }
}

/// <summary>409: another deploy (or person) holds the machine's lease.</summary>
public sealed class LeaseHeldException : Exception
{
    public LeaseHeldException(string machineId, MachinesApiException inner)
        : base($"Machine {machineId} is leased by someone else ({inner.ApiMessage}){(inner.RequestId is null ? "" : $" (fly-request-id {inner.RequestId})")}.", inner)
    {
        MachineId = machineId;
    }

    public string MachineId { get; }
}
