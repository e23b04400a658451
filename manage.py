#!/usr/bin/env python
from atiende.__main__ import main

if __name__ == "__main__":
    main()
