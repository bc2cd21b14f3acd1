// haetae: the one binary. `haetae serve` runs a node; the other subcommands are clients.
int main() { return 0; }
