from .cli import main

# Guarded: worker processes of a batch import the main module again.
if __name__ == "__main__":
    main()
