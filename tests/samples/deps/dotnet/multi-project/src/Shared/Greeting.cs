namespace Shared;

public static class Greeting
{
    public static string For(string region) => $"Hello from {region}";
}
