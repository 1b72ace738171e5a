#!/usr/bin/env python
from motcua.__main__ import main

if __name__ == "__main__":
    main()
