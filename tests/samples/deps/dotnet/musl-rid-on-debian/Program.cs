Console.WriteLine("Hello from a worker on Fly");
