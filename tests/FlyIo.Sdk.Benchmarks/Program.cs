System.Console.WriteLine("benchmarks: see build/bench.sh");
