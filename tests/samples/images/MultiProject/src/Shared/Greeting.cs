using Humanizer;

namespace Shared;

public static class Greeting
{
    public static string For(string name) => $"hello {name}, {TimeSpan.FromMinutes(90).Humanize(2)}";
}
